/* index.h - an intrusive ordered index with order statistics.
 *
 * The model keeps its aggregates (how many timers are breached, the oldest
 * waiting complaint, ...) in these indexes so that each message costs
 * O(log n) and each query is a rank or a min, never a scan.
 *
 * It is a treap whose nodes are embedded in the caller's structs (no
 * allocation, so insert cannot fail) and carry their subtree size, which
 * gives rank and select in O(log n) expected. Nodes are ordered by
 * (key, tie); both live in the embedding struct, where the index finds
 * them (struct index). The tie must be unique within one index (the model
 * uses an entry's serial number) and makes the order of equal keys
 * stable. A node's priority is a hash of its tie, so the shape is
 * deterministic. */
#ifndef WALLBOARD_INDEX_H
#define WALLBOARD_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 24 bytes: no parent pointer, no tie and no key (see index.c); a
 * complaint has three. */
struct index_node {
	struct index_node *left, *right;
	uint32_t size;          /* nodes in this subtree; 0 while unlinked */
	uint32_t prio;
};

/* Every node of one index is the same member of the same struct, whose
 * tie (a uint64_t) lies tie_at bytes from the node and key (an int64_t)
 * key_at bytes: a complaint's three nodes share its serial number, and
 * two of them one key (its due time as linked). */
struct index {
	struct index_node *root;
	ptrdiff_t tie_at, key_at;
};

/* The offset of field from member in type: for index_init(). */
#define INDEX_AT(type, member, field) \
	((ptrdiff_t)offsetof(type, field) - (ptrdiff_t)offsetof(type, member))

/* The struct that embeds `node` as `member`. */
#define index_entry(node, type, member) \
	((type *)(void *)((char *)(node) - offsetof(type, member)))

/* tie_at, key_at: INDEX_AT(the embedding struct, the node member, its
 * tie or key). */
void index_init(struct index *ix, ptrdiff_t tie_at, ptrdiff_t key_at);

/* n must be unlinked (zeroed, or removed before); its owner's tie and
 * key must be set, the tie unique in ix, and both stay unchanged while n
 * is linked: to change a key, remove every node that uses it first. */
void index_insert(struct index *ix, struct index_node *n);
/* n must be linked in ix. Leaves it unlinked. */
void index_remove(struct index *ix, struct index_node *n);
bool index_linked(const struct index_node *n);
/* The tie and the key of n's owner. */
uint64_t index_tie(const struct index *ix, const struct index_node *n);
int64_t index_key(const struct index *ix, const struct index_node *n);

size_t index_count(const struct index *ix);
/* How many nodes have key <= key. */
size_t index_rank(const struct index *ix, int64_t key);
/* The smallest node, or NULL when empty. */
struct index_node *index_first(const struct index *ix);
/* The node after n (linked in ix) in order, or NULL. O(log n). */
struct index_node *index_next(const struct index *ix, const struct index_node *n);
/* The first node with key >= key, or NULL. */
struct index_node *index_lower_bound(const struct index *ix, int64_t key);
/* The node at position i (0 = smallest), or NULL when i >= count. */
struct index_node *index_select(const struct index *ix, size_t i);

/* Checks every invariant (order, heap, sizes, priorities); for tests. */
bool index_verify(const struct index *ix);

#endif
