/* sd_notify datagram parsing, as systemd reads it: newline-separated KEY=VALUE assignments,
 * flags only for the exact value "1", everything else ignored. */
#include "supervisor/notify_msg.h"

#include <errno.h>
#include <string.h>

#include "core/utf8.h"

/* Copy a STATUS= value: cut to NOTIFY_STATUS_MAX bytes without splitting a UTF-8 sequence, and
 * replace control characters (C0, DEL and C1) and bytes that are not UTF-8 with '?' (one per
 * character or byte), so the text is safe in a log line or a status answer. */
static void copy_status(char *dst, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i, k, len, out = 0;

	if (n > NOTIFY_STATUS_MAX) {
		n = NOTIFY_STATUS_MAX;
		/* When src[n] continues a sequence, cut before its lead byte (at most 3 back: a
		 * longer run is not UTF-8 anyway). */
		for (k = 0; k < 3 && ((unsigned char)src[n] & 0xc0) == 0x80; k++)
			n--;
	}
	for (i = 0; i < n; i += len) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			len = 1;
			dst[out++] = (char)s[i];
		} else if (s[i] >= 0x80 && (len = utf8_seq_len(s + i, n - i, false)) > 0) {
			memcpy(dst + out, s + i, len);
			out += len;
		} else {
			/* A C1 control is two bytes that become one '?': the text only shrinks. */
			len = s[i] == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f ? 2
												: 1;
			dst[out++] = '?';
		}
	}
	dst[out] = '\0';
}

/* True when line[0..n) is exactly "KEY=1". */
static bool is_flag(const char *line, size_t n, const char *key)
{
	size_t k = strlen(key);

	return n == k + 2 && memcmp(line, key, k) == 0 && line[k] == '=' && line[k + 1] == '1';
}

int notify_parse(const char *buf, size_t len, struct notify_msg *out)
{
	const char *p, *end;

	memset(out, 0, sizeof(*out));
	if (len > NOTIFY_MSG_MAX)
		return -EMSGSIZE;
	if (!buf || len == 0 || memchr(buf, '\0', len))
		return -EINVAL;
	for (p = buf, end = buf + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (is_flag(p, n, "READY"))
			out->ready = true;
		else if (is_flag(p, n, "STOPPING"))
			out->stopping = true;
		else if (is_flag(p, n, "RELOADING"))
			out->reloading = true;
		else if (is_flag(p, n, "WATCHDOG"))
			out->watchdog = true;
		else if (n >= 7 && memcmp(p, "STATUS=", 7) == 0) {
			out->has_status = true;
			copy_status(out->status, p + 7, n - 7);
		}
		p += n + 1;
	}
	return 0;
}
