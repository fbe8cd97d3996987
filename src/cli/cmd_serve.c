/* cmd_serve.c: `ctip serve`: the web UI and the API until SIGTERM. */
#include "cli/cli.h"
#include "http/routes.h"
#include "util/log.h"

#include <pthread.h>
#include <signal.h>

/*
 * Refuse (exit 1, one line naming db) a database whose schema is not the
 * one the migrations make, or whose reference data were not loaded again
 * since its last migration (a `ctip migrate` whose reload failed or was
 * killed; the next one reloads them).
 */
static int
serve_check_schema(struct ctip_store *st, const char *db)
{
	struct ctip_err err = { 0 };
	struct ctip_arena a;
	char *digest;
	int rc;

	if (st->ops->schema_check(st, &err) != CTIP_OK) {
		fprintf(stderr, "ctip: database \"%s\": %s\n", db, err.msg);
		return CTIP_EXIT_FAIL;
	}
	ctip_arena_init(&a, 256);
	rc = st->ops->meta_get(&digest, st, "refdata_digest", &a, &err);
	ctip_arena_free(&a);
	if (rc == CTIP_ENOTFOUND) {
		fprintf(stderr,
			"ctip: database \"%s\": its reference data were not "
			"loaded again since its last migration: run \"ctip "
			"migrate\"\n",
			db);
		return CTIP_EXIT_FAIL;
	}
	if (rc != CTIP_OK)
		return ctip_cli_fail(&err);
	return CTIP_EXIT_OK;
}

int
ctip_cmd_serve(const struct ctip_cmd *cmd, int argc, char **argv)
{
	struct ctip_server_conf conf = { 0 };
	const char *threads = "8";
	const struct ctip_opt opts[] = {
		{ "listen", "ADDR:PORT", "address to listen on (port 0: any)",
		  &conf.listen, NULL },
		{ "db", "FILE", "database", &conf.db, NULL },
		{ "web", "DIR", "directory of the web UI's files",
		  &conf.web_dir, NULL },
		{ "key", "FILE", "key file of the database", &conf.key, NULL },
		{ "threads", "N",
		  "worker threads (a read waiting for its audit entry holds "
		  "one)",
		  &threads, NULL },
		{ "secure-cookie", NULL,
		  "mark the session cookie Secure (TLS terminated in front)",
		  NULL, &conf.secure_cookie },
		{ "trusted-proxy", "ADDR",
		  "address of the reverse proxy in front: the last address of "
		  "its X-Forwarded-For is the client's (login throttle, audit "
		  "log); others' X-Forwarded-For is ignored",
		  &conf.trusted_proxy, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	struct ctip_err err = { 0 };
	struct ctip_server *srv;
	struct ctip_store *st;
	sigset_t set;
	char *end;
	int n, sig;

	conf.listen = "127.0.0.1:8080";
	conf.db = ctip_default_db();
	conf.web_dir = ctip_default_web();
	conf.key = ctip_default_key();
	n = ctip_cli_parse(cmd, opts, argc, argv, NULL, 0);
	if (n != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
	conf.threads = (int)strtol(threads, &end, 10);
	if (*end != '\0' || conf.threads < 1 || conf.threads > 256) {
		fprintf(stderr, "ctip serve: --threads must be 1 to 256\n");
		return CTIP_EXIT_USAGE;
	}
	/* Fail now, not at the first request, if the database is missing,
	 * from a newer ctip (refused by the open), read-only, of an older
	 * schema or of a schema that is not ctip's: a server
	 * that cannot write cannot even audit a read, and would answer
	 * every request with 500. */
	if (ctip_store_open(&st, conf.db, CTIP_OPEN_EXISTING, &err) != CTIP_OK)
		return ctip_cli_fail(&err);
	if (st->ops->schema_version(&n, st, &err) != CTIP_OK ||
	    st->ops->writable(st, &err) != CTIP_OK) {
		st->ops->close(st);
		return ctip_cli_fail(&err);
	}
	if (n == 0) {
		st->ops->close(st);
		fprintf(stderr,
			"ctip: database \"%s\" is empty: run \"ctip "
			"init\"\n",
			conf.db);
		return CTIP_EXIT_FAIL;
	}
	if (n < ctip_store_schema_latest()) {
		st->ops->close(st);
		fprintf(stderr,
			"ctip: database \"%s\" is at schema version %d, this "
			"ctip needs %d: run \"ctip migrate\"\n",
			conf.db, n, ctip_store_schema_latest());
		return CTIP_EXIT_FAIL;
	}
	if ((n = serve_check_schema(st, conf.db)) != CTIP_EXIT_OK) {
		st->ops->close(st);
		return n;
	}
	st->ops->close(st);
	/* Block the signals before any thread starts, so that they reach
	 * sigwait() below and never an MHD worker (stack-baseline pitfall
	 * 2). SIGPIPE is ignored: a client that hangs up is no crash.
	 * SIGHUP (a closed terminal, logrotate's "reload") would end the
	 * server without finishing its requests: it is waited for too, and
	 * only logged. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (ctip_server_start(&srv, &conf, ctip_routes, &err) != CTIP_OK) {
		n = ctip_cli_fail(&err);
		/* A bad --listen or --trusted-proxy is a bad command line, as
		 * --threads is; a refused key file is refused input (3), as
		 * for every other command (docs/cli.md). */
		return err.code == CTIP_EINVAL && err.field[0] != '\0'
			       ? CTIP_EXIT_USAGE
			       : n;
	}
	printf("ctip: listening on http://%.*s:%d/ (database %s)\n",
	       (int)(strrchr(conf.listen, ':') - conf.listen), conf.listen,
	       ctip_server_port(srv), conf.db);
	fflush(stdout);
	ctip_log(CTIP_LOG_INFO, "serving on port %d with %d threads",
		 ctip_server_port(srv), conf.threads);
	/* The key file needs no reload signal: the server reloads it
	 * within a second of a change (`ctip key rotate`). */
	while (sigwait(&set, &sig) == 0 && sig == SIGHUP)
		ctip_log(CTIP_LOG_INFO,
			 "received SIGHUP: ignored (the key file is reloaded "
			 "when it changes; SIGTERM stops the server)");
	ctip_log(CTIP_LOG_INFO, "received %s: finishing requests in flight",
		 sig == SIGTERM ? "SIGTERM" : "SIGINT");
	ctip_server_stop(srv);
	ctip_log(CTIP_LOG_INFO, "stopped");
	return CTIP_EXIT_OK;
}
