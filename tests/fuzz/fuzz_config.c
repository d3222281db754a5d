/* fuzz_config.c - libFuzzer target for the INI configuration reader.
 *
 * The input is INI text, read by config_load_string() (the same path as
 * config_load_file). Besides memory errors it checks that a loaded config
 * keeps the promises others rely on: terminated strings, counts within
 * their arrays, numbers within their ranges. Error messages go to stderr;
 * run with -close_fd_mask=2 to keep them out of the way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_config: broken promise: %s\n", what);
		abort();
	}
}

#define TERMINATED(s) require(memchr((s), '\0', sizeof(s)) != NULL, #s)

static void check_config(const struct config *c)
{
	TERMINATED(c->site);
	TERMINATED(c->board_id);
	TERMINATED(c->host);
	TERMINATED(c->prefix);
	TERMINATED(c->asset_dir);
	TERMINATED(c->state_dir);
	require(c->site[0] && c->board_id[0] && c->host[0] && c->prefix[0], "empty string");
	require(strpbrk(c->prefix, "+#") == NULL, "prefix wildcard");
	require(c->port >= 1 && c->port <= 65535, "port");
	require(c->keepalive_s >= 5, "keepalive");
	require((c->width == 0) == (c->height == 0), "size");
	require(c->sound_volume >= 0 && c->sound_volume <= 100, "volume");
	require((c->quiet_from_min < 0) == (c->quiet_to_min < 0), "quiet hours");
	require(c->quiet_from_min < 24 * 60 && c->quiet_to_min < 24 * 60, "quiet range");
	require(c->n_channels <= CONFIG_MAX_CHANNELS && c->n_leads <= CONFIG_MAX_LEADS, "counts");
	for (size_t i = 0; i < c->n_channels; i++) {
		TERMINATED(c->channels[i].key);
		TERMINATED(c->channels[i].name);
		require(c->channels[i].key[0] != '\0', "channel key");
		require(c->channels[i].color <= 0xffffff, "color");
	}
	for (size_t i = 0; i < c->n_leads; i++) {
		TERMINATED(c->leads[i].name);
		TERMINATED(c->leads[i].pin_hash);
		require(c->leads[i].pin_hash[0] == '$', "pin_hash");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg;
	char *text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0'; /* text after an embedded NUL is simply not read */
	config_defaults(&cfg);
	if (config_load_string(&cfg, text, "fuzz.ini"))
		check_config(&cfg);
	free(text);
	return 0;
}
