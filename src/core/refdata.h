/* refdata.h: loading the reference data in data/ into the store. */
#ifndef CTIP_REFDATA_H
#define CTIP_REFDATA_H

#include "store/store.h"

/* Counts of each reference table, for `ctip ref stats`. */
struct ctip_ref_stats {
	long provinces, communes;
	long rows[CTIP_REF_N_KINDS]; /* by kind; admin units = both levels */
};

/*
 * Load (insert or update) every reference file of data_dir inside one
 * transaction; nothing is changed when any row is bad. A bad row gives
 * CTIP_EINVAL with a message naming the file, line and column; a missing
 * file CTIP_ENOTFOUND. Afterwards checks the counts the law fixes (34
 * provinces, 3,321 communes, 54 ethnic groups, 10 support types).
 * Records a digest of the files as meta "refdata_digest".
 */
CTIP_MUST_CHECK enum ctip_status ctip_refdata_load(struct ctip_store *st,
						   const char *data_dir,
						   struct ctip_err *err);

/*
 * Set *out to whether the reference files of data_dir differ from those
 * last loaded into st (by their digest; true when none was recorded).
 * A missing file is CTIP_ENOTFOUND.
 */
CTIP_MUST_CHECK enum ctip_status ctip_refdata_changed(bool *out,
						      struct ctip_store *st,
						      const char *data_dir,
						      struct ctip_err *err);

/* Fill out with the row counts of the reference tables. */
CTIP_MUST_CHECK enum ctip_status ctip_refdata_stats(struct ctip_ref_stats *out,
						    struct ctip_store *st,
						    struct ctip_err *err);

#endif
