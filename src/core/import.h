/* import.h: bulk import of persons and their trafficking events from the
 * CSV interchange format (docs/formats/persons-csv.md). */
#ifndef CTIP_IMPORT_H
#define CTIP_IMPORT_H

#include "core/person.h"
#include "util/hash.h"

struct ctip_import_stats {
	long persons;      /* persons created */
	long events;       /* events created */
	uint64_t checksum; /* FNV-1a of every field read, in order */
};

/* The header line of the format, for writers of the format. */
extern const char ctip_import_header[];

/* The id of the file text[0..len): 32 hex digits of a hash of its bytes,
 * the same for the same file. */
void ctip_import_file_id(char out[33], const char *text, size_t len);

/*
 * Import text[0..len) in one transaction: every row or none. Each person
 * is owned by the org unit of owner_agency at the person's commune
 * (created if missing). An accompanying minor names its adult by ref, on
 * an earlier line. Demo marks the rows as synthetic demo data. A bad row
 * gives CTIP_EINVAL with "line N: field: reason"; nothing is written.
 * The import is audited in its transaction: "person.import" of the
 * import_file (its id) by "system" from "cli".
 */
CTIP_MUST_CHECK enum ctip_status
ctip_import_persons(struct ctip_import_stats *out, struct ctip_store *st,
		    const struct ctip_keyring *kr, const char *text, size_t len,
		    const char *owner_agency, bool demo, struct ctip_err *err);

#endif
