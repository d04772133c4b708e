#include <stdio.h>

int main(void)
{
    puts("guanjia");
    return 0;
}
