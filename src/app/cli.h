/* cli.h - the command line: flags, --help, --version, --print-config.
 *
 * Settings come from the built-in defaults, then the --config file, then
 * every other flag in the order given; a flag that stands for a config
 * key (--site, --lang, --set SECTION.KEY=VALUE, ...) goes through
 * config_set like a line of the file, so both refuse the same values with
 * the same reasons. */
#ifndef WALLBOARD_CLI_H
#define WALLBOARD_CLI_H

#include "config.h"

/* The whole startup: defaults, then --config FILE (if given), then every
 * other flag over it. Returns 0 to run, 1 when --help, --version or
 * --print-config printed (exit 0), 2 on a bad flag or bad config (message
 * already printed; exit status 2). */
int cli_parse(struct config *cfg, int argc, char **argv);

#endif
