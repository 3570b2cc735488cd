/* libFuzzer target: the small value parsers behind many keys and the control protocol:
 * parse_duration (and format_duration back), parse_signal (and signal_name), parse_bool,
 * parse_uint. */
#include <errno.h>

#include "config/parse.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *buf;
	int64_t ms = -1, again = -1;
	size_t len;
	bool b;
	int r, v, sig;

	r = parse_duration(s, &ms);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);
	if (r == 0) {
		char full[64];

		FUZZ_CHECK(ms >= 0);
		FUZZ_CHECK(format_duration(ms, full, sizeof(full)) == full);
		FUZZ_CHECK(parse_duration(full, &again) == 0 && again == ms);
		/* Exact-size block, as small as the input says. */
		len = size % 24 + 1;
		buf = malloc(len);
		FUZZ_CHECK(buf);
		(void)format_duration(ms, buf, (unsigned)len);
		FUZZ_CHECK(strlen(buf) < len && strncmp(buf, full, len - 1) == 0);
		free(buf);
	}

	sig = parse_signal(s);
	FUZZ_CHECK(sig == -EINVAL || (sig >= 1 && sig <= 64));
	if (sig > 0)
		FUZZ_CHECK(signal_name(sig) != NULL);

	r = parse_bool(s, &b);
	FUZZ_CHECK(r == 0 || r == -EINVAL);

	r = parse_uint(s, &v);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);
	if (r == 0)
		FUZZ_CHECK(v >= 0);

	/* signal_name over the whole int range the input can name. */
	if (size >= 4) {
		int32_t n;

		memcpy(&n, data, sizeof(n));
		FUZZ_CHECK((signal_name(n) != NULL) == (n >= 1 && n <= 64));
	}
	free(s);
	return 0;
}
