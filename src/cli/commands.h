/*
 * commands.h - one entry point per verb, each in its own cmd_<verb>.c.
 *
 * To add a verb: write cmd_<verb>.c exporting `int cmd_<verb>(int argc,
 * char **argv)` (argv[0] is the verb), declare it here and add a row to
 * the table in main.c. A verb returns the process exit status: 0 success,
 * 1 failure it explained on stderr, 2 usage error.
 */
#ifndef MP_CLI_COMMANDS_H
#define MP_CLI_COMMANDS_H

int cmd_info(int argc, char **argv);
int cmd_dis(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_export(int argc, char **argv);
/* Both in cmd_lesson.c: the course's list and its checks share it. */
int cmd_lessons(int argc, char **argv);
int cmd_lesson(int argc, char **argv);
/* `mpscope` alone at a terminal: the lesson menu (no verb of its own). */
int cmd_menu(int argc, char **argv);

#endif
