/* Fuzz target: `mnsim journal import FILE`, a JSON export
 * (src/store/journal_import.c) into an empty journal that knows the data
 * directory's zones. A refused import must leave the journal empty (a
 * second import of a valid export then succeeds: checked on the seed). */
#include "fuzz.h"
#include "mnsim/journal.h"
#include "mnsim/zone.h"
#include "mnsim/zones.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static mn_zone_list zones;
static mn_journal *jn;
static char db[4200];

static void open_journal(void)
{
    mn_error e;
    mn_error_clear(&e);
    if (!db[0]) {
        snprintf(db, sizeof db, "%s/journal.db", fuzz_dir());
        if (mn_zones_load(MNSIM_SOURCE_DATA_DIR "/zones.yaml", &zones, NULL, &e) !=
            MN_OK) {
            fuzz_fail("zones: %s", e.message);
        }
    }
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[4300];
        snprintf(p, sizeof p, "%s%s", db, suffix[i]);
        unlink(p);
    }
    if (mn_journal_open(db, 1, &jn, &e) != MN_OK) {
        fuzz_fail("journal: %s", e.message);
    }
    mn_journal_set_zones(jn, &zones);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "export.json");
    if (!jn)
        open_journal();
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    fuzz_quiet_begin();
    mn_status st = mn_journal_import_json(jn, path, &d, &e);
    fuzz_quiet_end();
    fuzz_check_status(st, &e, &d);
    mn_diags_free(&d);
    if (st == MN_OK) { /* records now: a new empty journal for the next input */
        mn_journal_close(jn);
        jn = NULL;
    }
    return 0;
}
