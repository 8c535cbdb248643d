#ifndef REGWATCH_CLIBXML2_SHIM_H
#define REGWATCH_CLIBXML2_SHIM_H

// xmlversion.h first, then switch ICU off: libxml2's headers would otherwise pull in
// the system ICU headers, whose UErrorCode clashes with the ICU that Foundation
// bundles ("UErrorCode has different definitions") on a clean build.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <libxml/encoding.h>
#include <libxml/entities.h>
#include <libxml/uri.h>
#include <libxml/xmlIO.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

/// `xmlFree` is a global function pointer that Swift 6 refuses to touch
/// (shared mutable state); this wrapper is the one way Swift frees libxml2 memory.
static inline void cxml_free(void *pointer) {
    xmlFree(pointer);
}

/// libxml2 reports errors that have no parser context (encoding conversion failures,
/// "xmlParseChunk: encoder error") through the thread's global handlers, which print to
/// stderr by default. The generic handler is C-variadic, which Swift cannot define, hence
/// these no-ops here. Parser errors still reach the parser's own `serror` first.
static inline void cxml_ignore_generic_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

static inline void cxml_ignore_structured_error(void *context, xmlErrorPtr error) {
    (void)context;
    (void)error;
}

/// Silences libxml2's generic and structured global error handlers for the calling thread
/// (they are thread-local in libxml2), so nothing from a parse reaches stderr.
static inline void cxml_silence_global_errors(void) {
    xmlSetGenericErrorFunc(NULL, cxml_ignore_generic_error);
    xmlSetStructuredErrorFunc(NULL, cxml_ignore_structured_error);
}

#endif
