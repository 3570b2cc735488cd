/* libFuzzer target: the whole config loader (inih, every key handler, validation) over an
 * in-memory file, then the --check-config summary. Everything is released each run, so
 * LeakSanitizer reports any path that forgets an allocation. */
#include <errno.h>

#include "config/config.h"
#include "config/parse.h"
#include "tests/fuzz/fuzz.h"

static FILE *devnull;

static const char *fuzz_env(const char *name, void *ctx)
{
	(void)ctx;
	return name[0] == 'E' ? "" : name[0] == 'U' ? NULL : name;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* About 400 KB with MAX_SERVICES services: off the stack, as dind-init keeps it. */
	static struct config cfg;
	char *text = fuzz_cstr(data, size);
	int r, i, n;

	if (!devnull) {
		devnull = fopen("/dev/null", "we");
		FUZZ_CHECK(devnull);
	}
	r = cfg_load_string(&cfg, "fuzz.ini", text);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ENOMEM);
	FUZZ_CHECK((r == -EINVAL) == (cfg.nerrors > 0));
	n = cfg.nerrors < CFG_ERRORS_MAX ? cfg.nerrors : CFG_ERRORS_MAX;
	for (i = 0; i < n; i++)
		FUZZ_CHECK(cfg.errors[i] && strlen(cfg.errors[i]) > 0);
	if (r == 0) {
		FUZZ_CHECK(cfg.nservices >= 0 && cfg.nservices <= MAX_SERVICES);
		for (i = 0; i < cfg.nservices; i++) {
			const struct cfg_service *svc = &cfg.services[i];

			FUZZ_CHECK(svc->argc >= 1 && svc->argc <= ARGV_MAX_WORDS);
			FUZZ_CHECK(svc->argv && svc->argv[svc->argc] == NULL);
			FUZZ_CHECK(cfg_find_service(&cfg, svc->name) == i);
			FUZZ_CHECK(cfg.order[i] >= 0 && cfg.order[i] < cfg.nservices);
		}
		cfg_print(&cfg, devnull);
		if (cfg.args_to_idx >= 0) {
			/* What main.c does with COMMAND's arguments in the docker:dind style. */
			static char w0[] = "--debug", w1[] = "--mtu", w2[] = "1400";
			char *const words[] = { w0, w1, w2 };

			r = cfg_append_args(&cfg, cfg.args_to_idx, words, 3);
			FUZZ_CHECK(r == 0 || r == -E2BIG);
			/* And the `dockerd ...` form, on the same service. */
			if (size % 2) {
				static char d0[] = "dockerd", d1[] = "--host=unix:///x";
				char *const cmd[] = { d0, d1 };

				r = cfg_replace_command(&cfg, cfg.args_to_idx, cmd, 2);
				FUZZ_CHECK(r == 0);
			}
		}
		/* The final command lines: every variable set, to a value taken from its name. */
		{
			char err[256];

			r = cfg_resolve(&cfg, fuzz_env, NULL, err, sizeof(err));
			FUZZ_CHECK(r == 0 || r == -E2BIG || r == -EINVAL);
			for (i = 0; r == 0 && i < cfg.nservices; i++) {
				const struct cfg_service *svc = &cfg.services[i];

				FUZZ_CHECK(svc->argc >= 1 && svc->argc <= ARGV_MAX_WORDS);
				FUZZ_CHECK(svc->argv[svc->argc] == NULL);
			}
			cfg_print(&cfg, devnull);
		}
	}
	cfg_release(&cfg);
	free(text);
	return 0;
}
