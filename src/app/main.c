/* main.c - wallboard: the support floor's wall display.
 *
 * Reads the configuration (defaults < --config file < flags) and runs the
 * board. Exit status: 0 normal, 1 runtime failure, 2 bad usage or config. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "acksig.h"
#include "app.h"
#include "cli.h"
#include "config.h"
#include "log.h"
#include "pin.h"

/* --hash-pin: read a PIN (without echo on a terminal), print the line to
 * put under [lead.<name>] in the config. The PIN itself goes nowhere. */
static int hash_pin(void)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fputs("PIN: ", stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char pin[64] = "", hash[256];
	bool got = fgets(pin, sizeof pin, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	pin[strcspn(pin, "\r\n")] = '\0';
	bool ok = got && pin_is_wellformed(pin) && pin_hash_make(pin, hash, sizeof hash);
	memset(pin, 0, sizeof pin);
	if (!ok) {
		fputs("wallboard: --hash-pin: a PIN is 4 to 12 digits\n", stderr);
		return 2;
	}
	printf("pin_hash = %s\n", hash);
	return 0;
}

int main(int argc, char **argv)
{
	static struct config cfg;
	int rc = cli_parse(&cfg, argc, argv);
	if (rc == 1)
		return EXIT_SUCCESS;
	if (rc != 0)
		return 2;
	if (cfg.hash_pin)
		return hash_pin();
	if (cfg.make_ack_key[0]) {
		if (!acksig_key_make(cfg.make_ack_key))
			return EXIT_FAILURE;
		printf("[acks]\nkey_file = %s\n", cfg.make_ack_key);
		return EXIT_SUCCESS;
	}
	if (cfg.verbose)
		log_set_level(LOG_DEBUG);

	static struct acksig_key key;
	if (cfg.ack_key_file[0] && !acksig_key_load(cfg.ack_key_file, &key))
		return 2; /* the reason is logged */
	struct app *app = app_init(&cfg, key.len ? &key : NULL);
	acksig_key_wipe(&key);
	if (!app)
		return EXIT_FAILURE;
	int status = app_run(app);
	app_destroy(app);
	return status;
}
