/* render_int.h - what the parts of the screen share (internal to render).
 *
 * render.c draws the header and the frame and answers the API; layout.c
 * computes where everything goes from the metrics (one struct per region,
 * sizes in permille of the output's smaller side); tiles.c, lists.c and
 * banner.c draw their regions from a const model. */
#ifndef WALLBOARD_RENDER_INT_H
#define WALLBOARD_RENDER_INT_H

#include "alarms.h"
#include "alarmview.h"
#include "i18n.h"
#include "kit.h"
#include "render.h"

#define MAX_ROWS 64
#define MAX_ALARM_ROWS AV_STRIP_LINES
/* Layout variants: bits of what the frame shows. Computed when first
 * used and kept until the output, language, channels or strip change. */
#define V_CRISIS 1
#define V_BAND 2
#define V_COMPACT_TILES 4
#define V_COMPACT_BANNER 8
#define V_TALL_BANNER 16  /* the full banner as tall as its text (up to
                             banner_m.tall_share_pct): no breach needs
                             the room; with V_COMPACT_BANNER, the compact
                             one takes what the breaches leave */
#define N_VARIANTS 32

enum col { COL_TIME, COL_MARK, COL_CHANNEL, COL_CUSTOMER, COL_ASSIGNEE,
	   COL_TEXT, N_COLS };

/* ------------------------------------------------------------ metrics */

/* Sizes in permille of the output's smaller side u, unless named _px
 * (absolute pixels) or _pct (share of something else, in permille). */
struct header_metrics {
	int row, site_px, label_px, value_px, clock_px, conn_px;
	int site_least_px;    /* the site's name shrinks to fit, to this */
	int portrait_aspect;  /* w * 10 < h * this: two header rows */
};

struct tiles_metrics {
	int tile_w, tile_w_many, tile_h, compact_below;
	int share_one_pct, share_two_pct;  /* of the room, one or two rows */
	int name_px, count_px, label_px, detail_px;
	int compact_name_px, compact_count_px, compact_label_px;
	int stacked_count_px, stacked_label_px;   /* permille of the tile */
	int cell_line, cell_name_px, cell_label_px; /* the compact row */
	int accent, edge, edge_ok;
};

struct list_metrics {
	int text_px, text_floor_px, time_px, mark_px, title_px;
	int title_h, row_h, gap, edge, fire_edge, esc_edge, progress_h;
	int title_lift;       /* the breach list title's words raised over
	                         the page bar, permille of their size */
	int mark_w, mark_w_narrow;  /* the VIP/High mark's column */
	/* the rows a list keeps before tiles and banner give way:
	 * [portrait][crisis] */
	int min_rows[2][2];
	int narrow_aspect;    /* w * 10 < u * this: portrait columns */
};

struct banner_metrics {
	int full_h, narrow_h, max_share_pct, tall_share_pct;
	int title_px, msg_px, item_px, item_h;
	int compact_title_px, compact_msg_px, compact_item_px, compact_item_h;
	int compact_steps_lines, compact_contact_lines;
	int edge;
};

extern const struct header_metrics header_m;
extern const struct tiles_metrics tiles_m;
extern const struct list_metrics list_m;
extern const struct banner_metrics banner_m;

/* ------------------------------------------------------------- layout */

struct header_layout {
	SDL_Rect all, site, kpi[3], conn, clock;
	int site_px, site_least_px, label_px, value_px, clock_px, conn_px;
};

struct tiles_layout {
	SDL_Rect area;
	size_t n;
	SDL_Rect tile[MODEL_MAX_CHANNELS];
	bool compact, stacked, cells;  /* cells: the compact row */
	int name_px, count_px, label_px, detail_px, strip_px;
};

struct list_layout {
	SDL_Rect area;
	int title_h, row_h, fit;      /* fit: rows under the title */
	int text_px, time_px, mark_px, title_px;
	int col_x[N_COLS], col_w[N_COLS]; /* relative to area.x */
};

struct banner_layout {
	SDL_Rect area;
	bool narrow;     /* columns stacked, title on its own row */
	bool compact;    /* one line each: title, message, steps, contacts */
	int title_px, msg_px, item_px, item_h;
	int title_row;   /* compact: the title's own row's height (0: beside
	                    the pills) */
	bool msg_wrap;   /* compact: the message on two lines */
};

struct layout {
	struct header_layout hd;
	SDL_Rect band;
	struct banner_layout banner;
	struct tiles_layout tiles;
	struct list_layout list;
	SDL_Rect alarms;   /* strip for ackui; empty without alarms */
	SDL_Rect body;
};

/* What the crisis banner has to say, counted: the layout gives the
 * banner no more height than that takes (layout_banner_shape). */
struct banner_shape {
	size_t steps, contacts;
	int msg_lines;   /* the message at the full banner's size: 1 or 2 */
	/* the compact banner (banner_compact_shape): */
	bool title_cut;        /* the title cut beside the pills */
	int compact_msg_lines; /* 1 or 2 */
	int compact_lines;     /* the steps' and contacts' lines, all shown */
	uint64_t key;          /* of the texts and the output they were
	                          measured for: measured again on a change */
};

/* The crisis message split in two lines, cached (banner.c). */
struct wrap {
	char src[MSG_MESSAGE_MAX];
	char line1[MSG_MESSAGE_MAX];
	size_t cut;      /* offset of line 2 in src; 0: one line */
	int w, px;
	enum kit_kind kind;
};

/* Regions whose smallest text size a frame records (render_text_px). */
#define N_PX_REGIONS (RENDER_REGION_LIST + 1)

struct render {
	SDL_Renderer *ren;
	struct text *text;
	const struct config *cfg;
	struct kit kit;

	/* layout cache key */
	int w, h;
	size_t n_channels;
	enum lang lang;
	int alarm_rows;
	struct banner_shape shape;
	int banner_spare;  /* px the list leaves under every breach, which
	                      the compact banner's tall variant takes */
	bool valid;

	bool mirror;
	int u, pad;
	struct layout lay[N_VARIANTS];
	bool lay_valid[N_VARIANTS];
	int variant;

	char chan_key[MODEL_MAX_CHANNELS][MSG_CHANNEL_MAX];
	char chan_name[MODEL_MAX_CHANNELS][CONFIG_STR];
	SDL_Color chan_color[MODEL_MAX_CHANNELS];

	/* paging of the breach list */
	size_t page_off;         /* first row after the pinned one */
	uint32_t page_t0;        /* ticks when this page was shown */
	bool page_started;
	struct render_page page;

	/* what the last frame showed */
	struct render_row rows[MAX_ROWS];
	size_t n_rows;
	SDL_Rect steps[MSG_PLAYBOOK_MAX];  /* screen rects of the step lines */
	size_t n_steps;
	SDL_Rect tiles[MODEL_MAX_CHANNELS];
	const char *tile_state[MODEL_MAX_CHANNELS]; /* "ok", "partial", ... */
	size_t n_tiles;
	bool drawn, ticking, flashing, banner_shown, band_shown, alarms_shown;
	bool paging;
	int64_t last_now;
	/* The counts of the last frame (model_totals, model_channel_stats):
	 * a frame in the same second of an unchanged model (the flash's, a
	 * page turn) takes them instead of walking the model's trees again. */
	struct {
		const struct model *m;
		uint64_t changes;
		int64_t now, at_risk_s;
		size_t n;
		struct channel_stats tot, ch[MODEL_MAX_CHANNELS];
	} counts;
	/* The breach list's rows of the last frame: from its first row [0]
	 * (the whole list when it fits, else the pinned row) and the page
	 * [1] (model_breached, through lists.c's breached):
	 * a frame in the same second of an unchanged model (the flash's)
	 * takes them instead of asking the model's trees again. */
	struct breach_memo {
		const struct model *m;
		uint64_t changes;
		int64_t now;
		size_t skip, max, n;
		const struct complaint *c[MAX_ROWS];
	} breached[2];
	struct wrap wrap, wrap_compact;
	/* the region being drawn, and the smallest text size in each */
	enum render_region region;
	int px_min[N_PX_REGIONS];
};

/* Per-frame inputs shared by the drawing functions. */
struct frame {
	const struct model *m;
	const struct board_status *st;
	int64_t now;       /* wall clock, for the clock */
	int64_t data_now;  /* model time: frozen while not live */
	uint32_t ticks;
	int64_t at_risk_s;
	const struct layout *L;
	struct channel_stats tot;
};

/* render.c */
const char *render_tr(const struct render *r, enum str_id id);
/* Channel i's counts at f->data_now (render_counts, in frame_begin). */
const struct channel_stats *render_channel_stats(const struct render *r, size_t i);
/* The kit recording text sizes into the region being drawn. */
const struct kit *render_kit(struct render *r);
void render_duration(struct render *r, const struct frame *f, int64_t s,
		     const char *sign, int px, SDL_Color c, enum kit_align a,
		     SDL_Rect box);

/* layout.c */
void layout_update(struct render *r, int w, int h, size_t n, int alarm_rows,
		   bool names);
/* The variant for this frame: the base (crisis, band), its tiles made
 * compact where the list would otherwise show fewer than `all` rows (the
 * breaches), its banner where fewer than `need` (what the list promises);
 * V_TALL_BANNER where every breach is listed with room to spare. */
int layout_choose(struct render *r, int base, int need, int all);
int layout_min_rows(const struct render *r, bool crisis);
/* Keeps the crisis banner's variants to c's shape (NULL: no crisis),
 * after layout_update. */
void layout_banner_shape(struct render *r, const struct msg_crisis *c);

/* tiles.c */
void tiles_draw(struct render *r, const struct frame *f);

/* lists.c */
void lists_draw(struct render *r, const struct frame *f);
/* The next tick at which the list turns its page; 0 when not paging. */
uint32_t lists_next_turn(const struct render *r);

/* banner.c */
void banner_draw(struct render *r, const struct frame *f, const struct msg_crisis *c);
/* The lines (1 or 2) the full banner gives msg, w wide at px. */
int banner_msg_lines(struct render *r, const char *msg, int w, int px);
/* What c's compact banner needs at bl's sizes, w wide inside: into s's
 * title_cut, compact_msg_lines and compact_lines. */
void banner_compact_shape(struct render *r, const struct msg_crisis *c,
			  const struct banner_layout *bl, int w, struct banner_shape *s);

#endif
