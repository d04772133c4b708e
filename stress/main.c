/* guanjia-stress: the reliability driver (issue 10). */
#include "stress.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "terminals") == 0)
        return stress_terminals(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "crash") == 0)
        return stress_crash(argc - 1, argv + 1);
    fprintf(stderr, "usage: guanjia-stress terminals [--procs 8] [--seconds 60] [--db FILE]\n"
                    "       guanjia-stress crash [--kills 200]\n");
    return 2;
}
