/* placeholder, replaced by the command dispatcher */
int gj_cli_placeholder(void);
int gj_cli_placeholder(void)
{
    return 0;
}
