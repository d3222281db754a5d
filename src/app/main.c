/* main.c - wallboard: the support floor's wall display.
 *
 * Reads the configuration (defaults < --config file < flags) and runs the
 * board. Exit status: 0 normal, 1 runtime failure, 2 bad usage or config. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "acksig.h"
#include "app.h"
#include "cli.h"
#include "config.h"
#include "heap.h"
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
	size_t n_digits = strlen(pin);
	bool ok = got && pin_is_wellformed(pin) && pin_hash_make(pin, hash, sizeof hash);
	memset(pin, 0, sizeof pin);
	if (!ok) {
		fputs("wallboard: --hash-pin: a PIN is 4 to 12 digits\n", stderr);
		return 2;
	}
	printf("pin_hash = %s\n", hash);
	if (n_digits < 6)
		fprintf(stderr, "wallboard: warning: a %zu-digit PIN falls to an offline search "
			"of its hash in minutes if the config leaks; use 6 digits or more\n",
			n_digits);
	return 0;
}

/* A config file that holds PIN hashes or the broker password must not be
 * readable by others: 4-6 digit PINs fall to an offline search of their
 * hashes in minutes, and the password is in clear. True (and a message
 * on stderr) when it is; group read stays allowed (root:wallboard 0640). */
static bool secrets_exposed(const char *path)
{
	struct stat st;
	FILE *f = path[0] ? fopen(path, "re") : NULL;
	if (!f)
		return false; /* no file, or cli already reported it */
	bool secret = false;
	char line[512];
	while (!secret && fgets(line, sizeof line, f)) {
		const char *p = line + strspn(line, " \t");
		size_t k = strcspn(p, " \t=");
		const char *v = p + k + strspn(p + k, " \t");
		secret = *v == '=' && ((k == 8 && strncmp(p, "pin_hash", 8) == 0) ||
				       (k == 8 && strncmp(p, "password", 8) == 0)) &&
			 v[1 + strspn(v + 1, " \t")] > ' ';
	}
	bool open_to_others = fstat(fileno(f), &st) == 0 &&
			      (st.st_mode & (S_IROTH | S_IWOTH | S_IWGRP));
	fclose(f);
	if (secret && open_to_others)
		fprintf(stderr, "wallboard: %s holds PIN hashes or a password and others may read "
			"or change it (mode %03o): chmod 640 (owner root, group of the board's "
			"user) or 600\n", path, (unsigned)(st.st_mode & 0777));
	return secret && open_to_others;
}

#define SYSTEM_CA_PATH "/etc/ssl/certs" /* Debian's store (ca-certificates) */

static bool is_loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
	       strncmp(host, "127.", 4) == 0;
}

/* The password's first line from mqtt.password_file (not in the config,
 * not on the command line where `ps` shows it). */
static bool read_password(struct config *cfg)
{
	struct stat st;
	FILE *f = fopen(cfg->password_file, "re");
	if (!f || fstat(fileno(f), &st) != 0) {
		fprintf(stderr, "wallboard: mqtt.password_file %s: %s\n", cfg->password_file,
			strerror(errno));
		if (f)
			fclose(f);
		return false;
	}
	bool ok = !(st.st_mode & (S_IROTH | S_IWOTH | S_IWGRP)) &&
		  fgets(cfg->password, sizeof cfg->password, f) != NULL;
	fclose(f);
	if (!ok) {
		fprintf(stderr, "wallboard: mqtt.password_file %s: empty, or others may read "
			"or change it (chmod 600)\n", cfg->password_file);
		return false;
	}
	cfg->password[strcspn(cfg->password, "\r\n")] = '\0';
	return true;
}

/* TLS settings made whole, and the rule that no password crosses a
 * network in clear text unless the operator said so. False: exit 2. */
static bool transport_ok(struct config *cfg)
{
	if (cfg->password_file[0] && !read_password(cfg))
		return false;
	if (strcmp(cfg->tls_version, "tlsv1.2") != 0 && strcmp(cfg->tls_version, "tlsv1.3") != 0) {
		fprintf(stderr, "wallboard: mqtt.tls_version: tlsv1.2 or tlsv1.3, not %s\n",
			cfg->tls_version);
		return false;
	}
	if (!cfg->certfile[0] != !cfg->keyfile[0]) {
		fputs("wallboard: mqtt.certfile and mqtt.keyfile go together\n", stderr);
		return false;
	}
	if (cfg->cafile[0] || cfg->capath[0] || cfg->certfile[0])
		cfg->tls = true;
	if (cfg->tls && !cfg->cafile[0] && !cfg->capath[0])
		snprintf(cfg->capath, sizeof cfg->capath, "%s", SYSTEM_CA_PATH);
	if (cfg->password[0] && !cfg->tls && !is_loopback(cfg->host) && !cfg->mqtt_insecure) {
		fprintf(stderr, "wallboard: the MQTT password would cross the network to %s in "
			"clear text: set mqtt.tls = true (or cafile/capath), or mqtt.insecure = "
			"true to allow it\n", cfg->host);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	heap_setup(); /* before any thread or large block (heap.h) */
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
	if (secrets_exposed(cfg.config_path) || !transport_ok(&cfg))
		return 2;

	static struct acksig_key key;
	if (cfg.ack_key_file[0] && !acksig_key_load(cfg.ack_key_file, &key))
		return 2; /* the reason is logged */
	struct app *app = app_init(&cfg, key.len ? &key : NULL);
	acksig_key_wipe(&key);
	if (!app)
		return EXIT_FAILURE;
	app_set_args(app, argc, argv);
	int status = app_run(app);
	bool again = app_restart_wanted(app);
	app_destroy(app);
	if (again) {
		/* /proc/self/exe: the same binary even if argv[0] was relative
		 * to a directory the board has since left */
		execv("/proc/self/exe", argv);
		log_error("app", "cannot restart after the reload: %s", strerror(errno));
		return EXIT_FAILURE; /* systemd's Restart=always starts it again */
	}
	return status;
}
