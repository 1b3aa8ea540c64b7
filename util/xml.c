/*
 * xml.c - XML text escaping (see xml.h).
 */
#include "xml.h"
#include "err.h"

int xml_escape(struct buf *out, const char *s)
{
	int rc = 0;

	for (; s && *s && rc == 0; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': rc = buf_adds(out, "&amp;"); break;
		case '<': rc = buf_adds(out, "&lt;"); break;
		case '>': rc = buf_adds(out, "&gt;"); break;
		case '"': rc = buf_adds(out, "&quot;"); break;
		case '\'': rc = buf_adds(out, "&#39;"); break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				break; /* not allowed in XML 1.0 */
			rc = buf_addc(out, (char)c);
		}
	}
	return rc;
}
