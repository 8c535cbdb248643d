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

/// `xmlFree` is a global function pointer that Swift 6 refuses to touch
/// (shared mutable state); this wrapper is the one way Swift frees libxml2 memory.
static inline void cxml_free(void *pointer) {
    xmlFree(pointer);
}

#endif
