/* synth.h: a fixed-seed generator of synthetic persons and trafficking
 * events spread over the real communes; for the demo dataset, tests and
 * benchmarks. Every generated person is fiction. */
#ifndef CTIP_SYNTH_H
#define CTIP_SYNTH_H

#include "core/person.h"
#include "util/buf.h"

struct ctip_synth {
	uint64_t state;                      /* splitmix64 */
	const struct ctip_commune *communes; /* borrowed */
	int n_communes;
	long next_ref;      /* sequence number of the next person */
	bool pending_minor; /* last record was an adult with a minor */
	char adult_ref[16];
	char adult_commune[8], adult_province[4], adult_family[32];
	int adult_year;          /* year the adult's event was discovered */
	char adult_received[16]; /* the day the adult was received */
};

/* One generated person, with at most one event. Pointers in p and ev
 * point into this struct. */
struct ctip_synth_record {
	char ref[16];             /* "P0000001" */
	char accompanies_ref[16]; /* "" unless an accompanying minor */
	struct ctip_person_input p;
	bool has_event;
	struct ctip_event_input ev;
	char name[96], citizen_id[24], phone[24], address[160];
	char birth_date[16], province[4], commune[8], ethnicity[16];
	char recruited_on[16], discovered_on[16], destination[4];
	char received_on[16]; /* the day the person was received */
};

/* Start a generator over communes (borrowed, must outlive it). */
void ctip_synth_init(struct ctip_synth *g, uint64_t seed,
		     const struct ctip_commune *communes, int n_communes);

/* Fill out with the next record; the same seed gives the same sequence. */
void ctip_synth_next(struct ctip_synth *g, struct ctip_synth_record *out);

/* A uniform random number in [0, n) from the generator's stream. */
uint32_t ctip_synth_below(struct ctip_synth *g, uint32_t n);

/* Append r as one line of the persons CSV format (core/import.h). */
CTIP_MUST_CHECK enum ctip_status
ctip_synth_csv(struct ctip_buf *b, const struct ctip_synth_record *r);

#endif
