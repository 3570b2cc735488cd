/* libFuzzer target: notify_parse over a raw datagram, exactly as read from the socket (not
 * NUL-terminated: ASan catches any read past its end). */
#include <errno.h>

#include "supervisor/notify_msg.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct notify_msg msg;
	size_t i, n;
	int r;

	r = notify_parse((const char *)data, size, &msg);
	FUZZ_CHECK(r == 0 || r == -EMSGSIZE || r == -EINVAL);
	if (size > NOTIFY_MSG_MAX)
		FUZZ_CHECK(r == -EMSGSIZE);
	if (r < 0) {
		FUZZ_CHECK(!msg.ready && !msg.stopping && !msg.watchdog && !msg.has_status);
		return 0;
	}
	n = strnlen(msg.status, sizeof(msg.status));
	FUZZ_CHECK(n <= NOTIFY_STATUS_MAX);
	if (!msg.has_status)
		FUZZ_CHECK(n == 0);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)msg.status[i];

		/* Safe for a log line and a status answer. */
		FUZZ_CHECK(c >= 0x20 && c != 0x7f);
		/* No C1 control either: U+0080..U+009F are C2 80..C2 9F in UTF-8. */
		if (c == 0xc2)
			FUZZ_CHECK(i + 1 < n && (unsigned char)msg.status[i + 1] >= 0xa0);
	}
	/* A flag is set only when the datagram holds it. */
	if (msg.ready)
		FUZZ_CHECK(memmem(data, size, "READY=1", 7) != NULL);
	if (msg.watchdog)
		FUZZ_CHECK(memmem(data, size, "WATCHDOG=1", 10) != NULL);
	return 0;
}
