/* cli_exec.h — `msgsim exec`: real programs on the simulated kernel (exec/exec.h). */
#ifndef MSGSIM_CLI_EXEC_H
#define MSGSIM_CLI_EXEC_H

/* msgsim exec [options] -- PROG ARGS [--- PROG ARGS]...: the exit status. */
int sim_cli_exec(int argc, char **argv);

#endif /* MSGSIM_CLI_EXEC_H */
