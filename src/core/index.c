/* index.c - see index.h.
 *
 * A treap: a binary search tree on (key, tie) that is also a max-heap on
 * prio. Because prio is a good hash of the tie, the tree is as balanced
 * as a random one (expected depth O(log n)) whatever order keys arrive
 * in, e.g. due times that mostly grow. Parent pointers make remove and
 * in-order stepping need no search and no stack. */
#include "index.h"

#include <assert.h>

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

static bool node_less(const struct index_node *a, const struct index_node *b)
{
	return a->key < b->key || (a->key == b->key && a->tie < b->tie);
}

/* Point whatever pointed at old (p's child link or the root) to new. */
static void replace_child(struct index *ix, struct index_node *p,
			  struct index_node *old, struct index_node *new)
{
	if (!p)
		ix->root = new;
	else if (p->left == old)
		p->left = new;
	else
		p->right = new;
}

/* Rotate x above its parent, keeping the in-order sequence. */
static void rotate_up(struct index *ix, struct index_node *x)
{
	struct index_node *p = x->parent;
	struct index_node *g = p->parent;

	if (p->left == x) {
		p->left = x->right;
		if (x->right)
			x->right->parent = p;
		x->right = p;
	} else {
		p->right = x->left;
		if (x->left)
			x->left->parent = p;
		x->left = p;
	}
	p->parent = x;
	x->parent = g;
	replace_child(ix, g, p, x);
	resize(p);
	resize(x);
}

void index_init(struct index *ix)
{
	ix->root = NULL;
}

void index_insert(struct index *ix, struct index_node *n, int64_t key, uint64_t tie)
{
	assert(n->size == 0);
	n->key = key;
	n->tie = tie;
	n->prio = prio_of(tie);
	n->left = n->right = NULL;
	n->size = 1;

	struct index_node *p = NULL, **link = &ix->root;
	while (*link) {
		p = *link;
		p->size++;      /* n will be below p */
		assert(p->key != key || p->tie != tie);
		link = node_less(n, p) ? &p->left : &p->right;
	}
	n->parent = p;
	*link = n;
	while (n->parent && n->prio > n->parent->prio)
		rotate_up(ix, n);
}

void index_remove(struct index *ix, struct index_node *n)
{
	assert(n->size > 0);
	/* Rotate n down, always lifting the child with the higher prio so
	 * the heap order holds, until it is a leaf that can be cut off. */
	while (n->left || n->right) {
		struct index_node *c;
		if (!n->left)
			c = n->right;
		else if (!n->right)
			c = n->left;
		else
			c = n->left->prio > n->right->prio ? n->left : n->right;
		rotate_up(ix, c);
	}
	struct index_node *p = n->parent;
	replace_child(ix, p, n, NULL);
	for (; p; p = p->parent)
		p->size--;
	n->parent = NULL;
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
		if (n->key <= key) {
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

struct index_node *index_next(const struct index_node *n)
{
	struct index_node *c = (struct index_node *)n;
	if (c->right) {
		c = c->right;
		while (c->left)
			c = c->left;
		return c;
	}
	while (c->parent && c->parent->right == c)
		c = c->parent;
	return c->parent;
}

struct index_node *index_lower_bound(const struct index *ix, int64_t key)
{
	struct index_node *best = NULL, *n = ix->root;
	while (n) {
		if (n->key >= key) {
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
static long verify(const struct index_node *n, const struct index_node *parent,
		   const struct index_node *lo, const struct index_node *hi)
{
	if (!n)
		return 0;
	if (n->parent != parent || (parent && n->prio > parent->prio))
		return -1;
	if ((lo && !node_less(lo, n)) || (hi && !node_less(n, hi)))
		return -1;
	long l = verify(n->left, n, lo, n);
	long r = verify(n->right, n, n, hi);
	if (l < 0 || r < 0 || (long)n->size != l + r + 1)
		return -1;
	return l + r + 1;
}

bool index_verify(const struct index *ix)
{
	return verify(ix->root, NULL, NULL, NULL) >= 0;
}
