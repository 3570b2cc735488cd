/* sd_notify datagram parsing, as systemd reads it: newline-separated KEY=VALUE assignments,
 * flags only for the exact value "1", everything else ignored. */
#include "supervisor/notify_msg.h"

#include <errno.h>
#include <string.h>

/* Length of the well-formed UTF-8 sequence at s (n bytes available) that is not a C1 control
 * (U+0080..U+009F, e.g. U+009B CSI, which terminals act on like ESC [), or 0. */
static size_t utf8_printable_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	/* C1 controls; overlong forms, UTF-16 surrogates, past U+10FFFF (RFC 3629). */
	if (s[0] == 0xc2)
		lo = 0xa0;
	else if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

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
		} else if (s[i] >= 0x80 && (len = utf8_printable_len(s + i, n - i)) > 0) {
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
