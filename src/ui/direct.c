/* direct.c - see direct.h. */
#include "direct.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "log.h"

static struct direct_counts counts;

bool direct_begin(SDL_Renderer *ren, SDL_Surface *out, SDL_Rect r, SDL_Rect *vis,
		  SDL_Point *origin)
{
	static bool said; /* a refused flush: once, not at every fill */
	SDL_Rect vp, clip, area = { 0, 0, out->w, out->h };
	*vis = (SDL_Rect){ 0, 0, 0, 0 };
	SDL_RenderGetViewport(ren, &vp);
	if (!SDL_IntersectRect(&area, &vp, &area))
		return true;
	if (SDL_RenderIsClipEnabled(ren)) {
		SDL_RenderGetClipRect(ren, &clip);
		clip.x += vp.x;
		clip.y += vp.y;
		if (!SDL_IntersectRect(&area, &clip, &area))
			return true;
	}
	r.x += vp.x;
	r.y += vp.y;
	if (!SDL_IntersectRect(&r, &area, vis)) {
		*vis = (SDL_Rect){ 0, 0, 0, 0 };
		return true;
	}
	if (SDL_RenderFlush(ren) != 0) {
		if (!said)
			log_error("direct", "flushing the renderer: %s; drawing through it",
				  SDL_GetError());
		said = true;
		*vis = (SDL_Rect){ 0, 0, 0, 0 };
		return false;
	}
	if (origin)
		*origin = (SDL_Point){ vp.x, vp.y };
	return true;
}

/* SDL's blend of a pixel of ARGB8888 onto the output's (the same
 * layout): nothing where the source is clear, a copy where opaque, else
 * each channel (s * a >> 8) + (d * (255 - a) >> 8), the alpha's own
 * (sa * 255 >> 8) + (da * (255 - a) >> 8). Two channels a multiply. */
static inline Uint32 blend_px(Uint32 s, Uint32 d)
{
	Uint32 a = s >> 24;
	if (a == 0)
		return d;
	if (a == 255)
		return s;
	Uint32 na = 255 - a;
	Uint32 rb = (((s & 0xff00ffu) * a >> 8) & 0xff00ffu) +
		    (((d & 0xff00ffu) * na >> 8) & 0xff00ffu);
	Uint32 g = (((s >> 8) & 0xffu) * a >> 8) + (((d >> 8) & 0xffu) * na >> 8);
	Uint32 al = (a * 255 >> 8) + ((d >> 24) * na >> 8);
	return rb | g << 8 | al << 24;
}

#ifdef __SSE2__
/* blend_px on four pixels at once: the same sums in 16-bit lanes, then
 * the source where opaque, the output where clear. */
static inline __m128i blend4(__m128i s, __m128i d)
{
	const __m128i zero = _mm_setzero_si128(), ff = _mm_set1_epi16(0xff);
	const __m128i alpha_lane = _mm_set_epi16(0xff, 0, 0, 0, 0xff, 0, 0, 0);
	__m128i a32 = _mm_srli_epi32(s, 24);
	__m128i a16 = _mm_packs_epi32(a32, a32);	/* a0 a1 a2 a3 a0 a1 a2 a3 */
	a16 = _mm_unpacklo_epi16(a16, a16);		/* a0 a0 a1 a1 a2 a2 a3 a3 */
	__m128i alo = _mm_unpacklo_epi32(a16, a16), ahi = _mm_unpackhi_epi32(a16, a16);
	__m128i lo = _mm_add_epi16(
		_mm_srli_epi16(_mm_mullo_epi16(_mm_unpacklo_epi8(s, zero), _mm_or_si128(alo, alpha_lane)), 8),
		_mm_srli_epi16(_mm_mullo_epi16(_mm_unpacklo_epi8(d, zero), _mm_xor_si128(alo, ff)), 8));
	__m128i hi = _mm_add_epi16(
		_mm_srli_epi16(_mm_mullo_epi16(_mm_unpackhi_epi8(s, zero), _mm_or_si128(ahi, alpha_lane)), 8),
		_mm_srli_epi16(_mm_mullo_epi16(_mm_unpackhi_epi8(d, zero), _mm_xor_si128(ahi, ff)), 8));
	__m128i mixed = _mm_packus_epi16(lo, hi);
	__m128i opaque = _mm_cmpeq_epi32(a32, _mm_set1_epi32(255));
	__m128i clear = _mm_cmpeq_epi32(a32, zero);
	mixed = _mm_or_si128(_mm_and_si128(opaque, s), _mm_andnot_si128(opaque, mixed));
	return _mm_or_si128(_mm_and_si128(clear, d), _mm_andnot_si128(clear, mixed));
}
#endif

void direct_blend_alpha(Uint32 *dst, const Uint8 *a, int n, Uint32 rgb)
{
	int i = 0;
	counts.alpha += (Uint64)n;
#ifdef __SSE2__
	const __m128i zero = _mm_setzero_si128(), colour = _mm_set1_epi32((int)rgb);
	for (; i + 4 <= n; i += 4) {
		Uint32 four;
		memcpy(&four, a + i, 4);
		if (!four)
			continue; /* between letters: nothing to blend */
		__m128i a32 = _mm_unpacklo_epi16(_mm_unpacklo_epi8(_mm_cvtsi32_si128((int)four), zero),
						  zero);
		__m128i s = _mm_or_si128(_mm_slli_epi32(a32, 24), colour);
		__m128i *to = (__m128i *)(void *)(dst + i);
		_mm_storeu_si128(to, blend4(s, _mm_loadu_si128(to)));
	}
#endif
	for (; i < n; i++)
		if (a[i])
			dst[i] = blend_px((Uint32)a[i] << 24 | rgb, dst[i]);
}

void direct_blend_argb(Uint32 *dst, const Uint32 *src, int n)
{
	int i = 0;
	counts.argb += (Uint64)n;
#ifdef __SSE2__
	for (; i + 4 <= n; i += 4) {
		__m128i *to = (__m128i *)(void *)(dst + i);
		__m128i s = _mm_loadu_si128((const __m128i *)(const void *)(src + i));
		_mm_storeu_si128(to, blend4(s, _mm_loadu_si128(to)));
	}
#endif
	for (; i < n; i++)
		if (src[i] >> 24)
			dst[i] = blend_px(src[i], dst[i]);
}

/* A page table entry's span above the 4 KB pages (x86-64, arm64). */
#define LARGE_PAGE ((uintptr_t)2 << 20)
/* Linux 6.1's synchronous collapse (glibc 2.36's headers lack it). An
 * older kernel refuses it: then khugepaged collapses the range later, as
 * MADV_HUGEPAGE asks. */
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

void direct_large_pages(const SDL_Surface *out)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	if (!out || !out->pixels)
		return;
	uintptr_t start = ((uintptr_t)out->pixels + LARGE_PAGE - 1) & ~(LARGE_PAGE - 1);
	uintptr_t end = ((uintptr_t)out->pixels + (size_t)out->pitch * (size_t)out->h) &
			~(LARGE_PAGE - 1);
	if (end <= start)
		return;
	if (madvise((void *)start, end - start, MADV_HUGEPAGE) != 0) {
		log_debug("direct", "no large pages for the window surface: %s", strerror(errno));
		return;
	}
	bool now = madvise((void *)start, end - start, MADV_COLLAPSE) == 0;
	log_info("direct", "window surface: %zu of its %zu KB in 2 MB pages%s",
		 (size_t)(end - start) / 1024, (size_t)out->pitch * (size_t)out->h / 1024,
		 now ? "" : " (once the kernel collapses them)");
#else
	(void)out;
#endif
}

void direct_fill(SDL_Surface *out, SDL_Rect vis, SDL_Color c)
{
	/* as SDL_FillRect: the colour as the surface's pixel */
	Uint32 px = SDL_MapRGBA(out->format, c.r, c.g, c.b, c.a);
	counts.filled += (Uint64)vis.w * (Uint64)vis.h;
	for (int y = vis.y; y < vis.y + vis.h; y++)
		direct_fill_row((Uint32 *)(void *)((Uint8 *)out->pixels +
						   (size_t)y * (size_t)out->pitch) + vis.x,
				px, vis.w);
}

/* A pattern of every alpha over varied colours, blended by SDL (a
 * surface blit: the blitter the software renderer's copy runs) and
 * here. */
#define CHECK_W 256
#define CHECK_H 8
static bool blend_check(Uint32 format)
{
	SDL_Surface *src = SDL_CreateRGBSurfaceWithFormat(0, CHECK_W, CHECK_H, 32,
							  SDL_PIXELFORMAT_ARGB8888);
	SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, CHECK_W, CHECK_H, 32, format);
	Uint32 *want = malloc(sizeof(Uint32) * CHECK_W * CHECK_H);
	bool ok = src && dst && want && SDL_SetSurfaceBlendMode(src, SDL_BLENDMODE_BLEND) == 0;
	for (int y = 0; ok && y < CHECK_H; y++) {
		Uint32 *s = (Uint32 *)(void *)((Uint8 *)src->pixels + (size_t)y * (size_t)src->pitch);
		Uint32 *d = (Uint32 *)(void *)((Uint8 *)dst->pixels + (size_t)y * (size_t)dst->pitch);
		for (int x = 0; x < CHECK_W; x++) {
			Uint32 v = (Uint32)(x * 2654435761u) ^ (Uint32)(y * 40503u);
			s[x] = (Uint32)x << 24 | (v & 0xffffffu);
			d[x] = v * 2246822519u;
		}
		memcpy(want + y * CHECK_W, d, CHECK_W * sizeof(Uint32));
		direct_blend_argb(want + y * CHECK_W, s, CHECK_W);
	}
	ok = ok && SDL_BlitSurface(src, NULL, dst, NULL) == 0;
	for (int y = 0; ok && y < CHECK_H; y++)
		ok = memcmp((Uint8 *)dst->pixels + (size_t)y * (size_t)dst->pitch,
			    want + y * CHECK_W, CHECK_W * sizeof(Uint32)) == 0;
	free(want);
	SDL_FreeSurface(src);
	SDL_FreeSurface(dst);
	return ok;
}

bool direct_blend_ok(const SDL_Surface *out)
{
	static Uint32 tried;
	static bool same;
	const SDL_PixelFormat *f = out->format;
	/* the channels where ARGB8888 has them: SDL blends those in place */
	if (f->BytesPerPixel != 4 || f->Rmask != 0xff0000u || f->Gmask != 0xff00u ||
	    f->Bmask != 0xffu)
		return false;
	if (tried != f->format) {
		tried = f->format;
		same = blend_check(f->format);
		log_info("direct", "text %s straight into the %s window surface",
			 same ? "blended" : "not blended (SDL's blend differs here)",
			 SDL_GetPixelFormatName(f->format));
	}
	return same;
}

void direct_get_counts(struct direct_counts *out)
{
	*out = counts;
}
