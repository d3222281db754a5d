/* replay.c - see replay.h. */
#include "replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>

#include "log.h"
#include "util.h"

enum step_kind { STEP_KEY, STEP_CLICK, STEP_TAP, STEP_QUIT, STEP_WAIT };

struct step {
	uint32_t at_ms;
	enum step_kind kind;
	SDL_Keycode key;
	int x, y;
	char *path;          /* STEP_WAIT: the file to wait for */
};

struct replay {
	struct step *steps;
	size_t n, cap, next;
	uint32_t base_ms;    /* when the last wait ended: later times count from it */
	uint32_t seen_ms;    /* elapsed ms at the last replay_push_due() */
};

static bool add_step(struct replay *r, const struct step *s)
{
	if (!UTIL_ARRAY_ROOM(r->steps, r->n, r->cap, 16, SIZE_MAX))
		return false;
	r->steps[r->n++] = *s;
	return true;
}

/* One line into one or more steps. Returns false on a syntax error. */
static bool parse_line(struct replay *r, const char *line)
{
	double secs;
	char verb[16], arg[201] = "";
	int x, y, used = 0;
	if (sscanf(line, " %lf %15s %n", &secs, verb, &used) < 2 || secs < 0 || secs > 86400)
		return false;
	struct step s = { .at_ms = (uint32_t)(secs * 1000.0) };
	const char *rest = line + used;
	if (!strcmp(verb, "quit")) {
		s.kind = STEP_QUIT;
		return add_step(r, &s);
	}
	if (!strcmp(verb, "click") || !strcmp(verb, "tap")) {
		if (sscanf(rest, "%d %d", &x, &y) != 2)
			return false;
		s.kind = verb[0] == 'c' ? STEP_CLICK : STEP_TAP;
		s.x = x;
		s.y = y;
		return add_step(r, &s);
	}
	if (sscanf(rest, "%200[^\n#]", arg) != 1)
		return false;
	for (size_t n = strlen(arg); n && arg[n - 1] == ' '; n--)
		arg[n - 1] = '\0';
	if (!strcmp(verb, "wait")) {
		s.kind = STEP_WAIT;
		s.path = strdup(arg);
		return s.path && add_step(r, &s);
	}
	s.kind = STEP_KEY;
	if (!strcmp(verb, "key")) {
		s.key = SDL_GetKeyFromName(arg);
		return s.key != SDLK_UNKNOWN && add_step(r, &s);
	}
	if (strcmp(verb, "type") != 0 || strspn(arg, "0123456789") != strlen(arg))
		return false;
	for (const char *d = arg; *d; d++) {
		s.key = SDLK_0 + (*d - '0');
		if (!add_step(r, &s))
			return false;
	}
	return true;
}

struct replay *replay_load(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		log_error("replay", "%s: cannot open", path);
		return NULL;
	}
	struct replay *r = calloc(1, sizeof *r);
	char line[256];
	bool ok = r != NULL;
	for (int lineno = 1; ok && fgets(line, sizeof line, f); lineno++) {
		const char *p = line + strspn(line, " \t");
		if (*p == '#' || *p == '\n' || *p == '\0')
			continue;
		if (!parse_line(r, p)) {
			log_error("replay", "%s:%d: cannot read \"%.60s\"", path, lineno, p);
			ok = false;
		}
	}
	fclose(f);
	if (!ok) {
		replay_destroy(r);
		return NULL;
	}
	return r;
}

void replay_destroy(struct replay *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->steps[i].path);
	free(r->steps);
	free(r);
}

static void push_step(const struct step *s, int w, int h)
{
	SDL_Event down = { 0 }, up = { 0 };
	switch (s->kind) {
	case STEP_QUIT:
		down.type = SDL_QUIT;
		SDL_PushEvent(&down);
		return;
	case STEP_WAIT:
		return;
	case STEP_KEY:
		down.type = SDL_KEYDOWN;
		down.key.state = SDL_PRESSED;
		down.key.keysym.sym = s->key;
		down.key.keysym.scancode = SDL_GetScancodeFromKey(s->key);
		up = down;
		up.type = SDL_KEYUP;
		up.key.state = SDL_RELEASED;
		break;
	case STEP_CLICK:
		down.type = SDL_MOUSEBUTTONDOWN;
		down.button.button = SDL_BUTTON_LEFT;
		down.button.state = SDL_PRESSED;
		down.button.clicks = 1;
		down.button.x = s->x;
		down.button.y = s->y;
		up = down;
		up.type = SDL_MOUSEBUTTONUP;
		up.button.state = SDL_RELEASED;
		break;
	case STEP_TAP:
		down.type = SDL_FINGERDOWN;
		down.tfinger.x = w > 0 ? (float)s->x / (float)w : 0;
		down.tfinger.y = h > 0 ? (float)s->y / (float)h : 0;
		down.tfinger.pressure = 1;
		up = down;
		up.type = SDL_FINGERUP;
		break;
	}
	SDL_PushEvent(&down);
	SDL_PushEvent(&up);
}

bool replay_push_due(struct replay *r, uint32_t elapsed_ms, int w, int h)
{
	bool any = false;
	if (r)
		r->seen_ms = elapsed_ms;
	while (r && r->next < r->n && r->base_ms + r->steps[r->next].at_ms <= elapsed_ms) {
		const struct step *s = &r->steps[r->next];
		if (s->kind == STEP_WAIT) {
			if (access(s->path, F_OK) != 0)
				break;           /* looked for again next pass */
			r->base_ms = elapsed_ms;
			r->next++;
			continue;
		}
		push_step(s, w, h);
		r->next++;
		any = true;
	}
	return any;
}

/* A wait whose time has come is looked at again every REPLAY_WAIT_POLL_MS. */
#define REPLAY_WAIT_POLL_MS 100

uint32_t replay_next_ms(const struct replay *r)
{
	if (!r || r->next >= r->n)
		return UINT32_MAX;
	uint32_t at = r->base_ms + r->steps[r->next].at_ms;
	if (r->steps[r->next].kind == STEP_WAIT && at <= r->seen_ms)
		return r->seen_ms + REPLAY_WAIT_POLL_MS;
	return at;
}
