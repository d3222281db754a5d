/* index.c - see index.h.
 *
 * A treap: a binary search tree on (key, tie) that is also a max-heap on
 * prio. Because prio is a good hash of the tie, the tree is as balanced
 * as a random one (expected depth O(log n)) whatever order keys arrive
 in, e.g. due times that mostly grow. No parent pointers (8 bytes in
 * each node a complaint carries): remove and in-order stepping search
 * down from the root by (key, tie) instead, O(log n) like the rest. No
 * tie and no key in the node either (8 bytes each): they are the
 * owner's, found at the index's tie_at and key_at, so nodes of one owner
 * share them (the model's two due-time nodes read one key). */
#include "index.h"

#include <assert.h>
#include <string.h>

static uint32_t size_of(const struct index_node *n)
{
	return n ? n->size : 0;
}

static void resize(struct index_node *n)
{
	n->size = 1 + size_of(n->left) + size_of(n->right);
}

/* splitmix64's finaliser: neighbouring ties get unrelated priorities. */
static uint32_t prio_of(uint64_t tie)
{
	uint64_t z = tie + 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

uint64_t index_tie(const struct index *ix, const struct index_node *n)
{
	uint64_t tie;
	memcpy(&tie, (const char *)n + ix->tie_at, sizeof tie);
	return tie;
}

int64_t index_key(const struct index *ix, const struct index_node *n)
{
	int64_t key;
	memcpy(&key, (const char *)n + ix->key_at, sizeof key);
	return key;
}

static bool node_less(const struct index *ix, const struct index_node *a,
		      const struct index_node *b)
{
	int64_t ka = index_key(ix, a), kb = index_key(ix, b);
	return ka < kb || (ka == kb && index_tie(ix, a) < index_tie(ix, b));
}

/* Rotations: the child lifts above t, keeping the in-order sequence;
 * return the subtree's new top. */
static struct index_node *lift_left(struct index_node *t)
{
	struct index_node *x = t->left;
	t->left = x->right;
	x->right = t;
	resize(t);
	resize(x);
	return x;
}

static struct index_node *lift_right(struct index_node *t)
{
	struct index_node *x = t->right;
	t->right = x->left;
	x->left = t;
	resize(t);
	resize(x);
	return x;
}

/* Inserts n under t; returns the subtree's new top. Recursion depth is
 * the tree's depth, O(log n) expected. */
static struct index_node *insert_below(const struct index *ix, struct index_node *t,
					struct index_node *n)
{
	if (!t)
		return n;
	assert(index_key(ix, t) != index_key(ix, n) || index_tie(ix, t) != index_tie(ix, n));
	if (node_less(ix, n, t)) {
		t->left = insert_below(ix, t->left, n);
		if (t->left->prio > t->prio)
			return lift_left(t);
	} else {
		t->right = insert_below(ix, t->right, n);
		if (t->right->prio > t->prio)
			return lift_right(t);
	}
	resize(t);
	return t;
}

void index_init(struct index *ix, ptrdiff_t tie_at, ptrdiff_t key_at)
{
	ix->root = NULL;
	ix->tie_at = tie_at;
	ix->key_at = key_at;
}

void index_insert(struct index *ix, struct index_node *n)
{
	assert(n->size == 0);
	n->prio = prio_of(index_tie(ix, n));
	n->left = n->right = NULL;
	n->size = 1;
	ix->root = insert_below(ix, ix->root, n);
}

void index_remove(struct index *ix, struct index_node *n)
{
	assert(n->size > 0);
	/* Find the link to n; every subtree on the way loses a node. */
	struct index_node **link = &ix->root;
	while (*link != n) {
		struct index_node *t = *link;
		assert(t);
		t->size--;
		link = node_less(ix, n, t) ? &t->left : &t->right;
	}
	/* Rotate n down, always lifting the child with the higher prio so
	 * the heap order holds, until it is a leaf that can be cut off. Each
	 * lifted child's size still counts n, which is leaving it. */
	while (n->left || n->right) {
		bool left = !n->right || (n->left && n->left->prio > n->right->prio);
		*link = left ? lift_left(n) : lift_right(n);
		(*link)->size--;
		link = left ? &(*link)->right : &(*link)->left;
	}
	*link = NULL;
	n->size = 0;
}

bool index_linked(const struct index_node *n)
{
	return n->size != 0;
}

size_t index_count(const struct index *ix)
{
	return size_of(ix->root);
}

size_t index_rank(const struct index *ix, int64_t key)
{
	size_t r = 0;
	const struct index_node *n = ix->root;
	while (n) {
		if (index_key(ix, n) <= key) {
			r += size_of(n->left) + 1;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return r;
}

struct index_node *index_first(const struct index *ix)
{
	struct index_node *n = ix->root;
	while (n && n->left)
		n = n->left;
	return n;
}

struct index_node *index_next(const struct index *ix, const struct index_node *n)
{
	struct index_node *c = n->right;
	if (c) {
		while (c->left)
			c = c->left;
		return c;
	}
	/* the last node on the way down from the root where n went left */
	struct index_node *after = NULL, *t = ix->root;
	while (t && t != n) {
		if (node_less(ix, n, t)) {
			after = t;
			t = t->left;
		} else {
			t = t->right;
		}
	}
	return after;
}

struct index_node *index_lower_bound(const struct index *ix, int64_t key)
{
	struct index_node *best = NULL, *n = ix->root;
	while (n) {
		if (index_key(ix, n) >= key) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct index_node *index_select(const struct index *ix, size_t i)
{
	struct index_node *n = ix->root;
	while (n) {
		size_t l = size_of(n->left);
		if (i < l) {
			n = n->left;
		} else if (i == l) {
			return n;
		} else {
			i -= l + 1;
			n = n->right;
		}
	}
	return NULL;
}

/* Checks the subtree at n against the bounds lo < n < hi (NULL: none);
 * returns its size, or -1 when an invariant is broken. */
static long verify(const struct index *ix, const struct index_node *n,
		   const struct index_node *parent, const struct index_node *lo,
		   const struct index_node *hi)
{
	if (!n)
		return 0;
	if ((parent && n->prio > parent->prio) || n->prio != prio_of(index_tie(ix, n)))
		return -1;
	if ((lo && !node_less(ix, lo, n)) || (hi && !node_less(ix, n, hi)))
		return -1;
	long l = verify(ix, n->left, n, lo, n);
	long r = verify(ix, n->right, n, n, hi);
	if (l < 0 || r < 0 || (long)n->size != l + r + 1)
		return -1;
	return l + r + 1;
}

bool index_verify(const struct index *ix)
{
	return verify(ix, ix->root, NULL, NULL, NULL) >= 0;
}
