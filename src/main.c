/* main.c - wallboard: the support floor's wall display.
 *
 * Reads the configuration (defaults < --config file < flags) and runs the
 * board. Exit status: 0 normal, 1 runtime failure, 2 bad usage or config. */
#include <stdlib.h>

#include "app.h"
#include "config.h"
#include "log.h"

int main(int argc, char **argv)
{
	static struct config cfg;
	int rc = config_from_args(&cfg, argc, argv);
	if (rc == 1)
		return EXIT_SUCCESS;
	if (rc != 0)
		return 2;
	if (cfg.verbose)
		log_set_level(LOG_DEBUG);

	struct app *app = app_init(&cfg);
	if (!app)
		return EXIT_FAILURE;
	int status = app_run(app);
	app_destroy(app);
	return status;
}
