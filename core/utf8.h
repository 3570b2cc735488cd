/* UTF-8 sequences, for what dind-init copies from others into its output (STATUS= of sd_notify,
 * JSON strings of dind-ctl status). Pure. */
#ifndef DIND_UTF8_H
#define DIND_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the well-formed multi-byte UTF-8 sequence at s (n bytes available), or 0: not one
 * (RFC 3629: no overlong forms, no UTF-16 surrogates, nothing past U+10FFFF), or a C1 control
 * (U+0080..U+009F; U+009B CSI is acted on by terminals like ESC [) when allow_c1 is false. */
size_t utf8_seq_len(const unsigned char *s, size_t n, bool allow_c1);

#endif
