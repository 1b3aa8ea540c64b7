/*
 * xml.h - writing XML and SVG text safely.
 *
 * Everything lsr writes into an XML or SVG document from data (study
 * labels, titles, notes) goes through xml_escape(): the five special
 * characters become entities and the code points XML 1.0 forbids (C0
 * controls other than tab, newline and carriage return) are dropped, so
 * that any label yields a well-formed document.
 */
#ifndef LSR_XML_H
#define LSR_XML_H

#include "buf.h"

/* Append s (UTF-8) to out, escaped for XML text and attribute values. */
int xml_escape(struct buf *out, const char *s);

#endif
