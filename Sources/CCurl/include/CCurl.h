#ifndef REGWATCH_CCURL_H
#define REGWATCH_CCURL_H

#include <curl/curl.h>

// libcurl is loaded on first use (dlopen), not linked: it brings some thirty libraries
// (TLS, Kerberos, LDAP, SSH…) whose loading and constructors cost about 8 ms at every process
// start, and most watchctl commands (parse, search, status, digest) never make a transfer.
// The functions regwatch calls are looked up once into this table; the wrappers below call
// through it. Only the headers of libcurl4-openssl-dev are needed to build.

/// The libcurl functions regwatch uses.
struct ccurl_api {
    CURLcode (*global_init)(long flags);
    curl_version_info_data *(*version_info)(CURLversion age);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *handle);
    CURLcode (*easy_perform)(CURL *handle);
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *string);
    void (*slist_free_all)(struct curl_slist *list);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *multi);
    CURLMcode (*multi_add_handle)(CURLM *multi, CURL *handle);
    CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *handle);
    CURLMcode (*multi_perform)(CURLM *multi, int *running);
    CURLMcode (*multi_poll)(CURLM *multi, struct curl_waitfd *fds, unsigned int count, int timeout, int *ready);
    CURLMcode (*multi_wakeup)(CURLM *multi);
    CURLMsg *(*multi_info_read)(CURLM *multi, int *left);
    CURLMcode (*multi_setopt)(CURLM *multi, CURLMoption option, ...);
};

/// The table, libcurl loaded on the first call (thread-safe). When libcurl.so.4 cannot be
/// loaded, prints one line saying so and what to install, and exits with status 1.
const struct ccurl_api *ccurl_api(void);

static inline CURLcode ccurl_global_init(long flags) { return ccurl_api()->global_init(flags); }
static inline CURL *ccurl_easy_init(void) { return ccurl_api()->easy_init(); }
static inline void ccurl_easy_cleanup(CURL *handle) { ccurl_api()->easy_cleanup(handle); }
static inline CURLcode ccurl_easy_perform(CURL *handle) { return ccurl_api()->easy_perform(handle); }
static inline const char *ccurl_easy_strerror(CURLcode code) { return ccurl_api()->easy_strerror(code); }
static inline struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *string) {
    return ccurl_api()->slist_append(list, string);
}
static inline void ccurl_slist_free_all(struct curl_slist *list) { ccurl_api()->slist_free_all(list); }
static inline CURLM *ccurl_multi_init(void) { return ccurl_api()->multi_init(); }
static inline CURLMcode ccurl_multi_cleanup(CURLM *multi) { return ccurl_api()->multi_cleanup(multi); }
static inline CURLMcode ccurl_multi_add_handle(CURLM *multi, CURL *handle) { return ccurl_api()->multi_add_handle(multi, handle); }
static inline CURLMcode ccurl_multi_remove_handle(CURLM *multi, CURL *handle) {
    return ccurl_api()->multi_remove_handle(multi, handle);
}
static inline CURLMcode ccurl_multi_perform(CURLM *multi, int *running) { return ccurl_api()->multi_perform(multi, running); }
static inline CURLMcode ccurl_multi_poll(CURLM *multi, struct curl_waitfd *fds, unsigned int count, int timeout, int *ready) {
    return ccurl_api()->multi_poll(multi, fds, count, timeout, ready);
}
static inline CURLMcode ccurl_multi_wakeup(CURLM *multi) { return ccurl_api()->multi_wakeup(multi); }
static inline CURLMsg *ccurl_multi_info_read(CURLM *multi, int *left) { return ccurl_api()->multi_info_read(multi, left); }

// curl_easy_setopt, curl_multi_setopt and curl_easy_getinfo are variadic macros/functions,
// which Swift cannot call. Each typed wrapper below fixes the argument type, so the
// compiler checks what the C API only documents.

static inline CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return ccurl_api()->easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return ccurl_api()->easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return ccurl_api()->easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return ccurl_api()->easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return ccurl_api()->easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_write_callback(CURL *handle, CURLoption option,
        size_t (*callback)(char *, size_t, size_t, void *)) {
    return ccurl_api()->easy_setopt(handle, option, callback);
}

static inline CURLcode ccurl_easy_setopt_xferinfo_callback(CURL *handle,
        int (*callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t)) {
    return ccurl_api()->easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode ccurl_easy_setopt_opensocket_callback(CURL *handle,
        curl_socket_t (*callback)(void *, curlsocktype, struct curl_sockaddr *)) {
    return ccurl_api()->easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, callback);
}

static inline CURLcode ccurl_easy_setopt_sockopt_callback(CURL *handle,
        int (*callback)(void *, curl_socket_t, curlsocktype)) {
    return ccurl_api()->easy_setopt(handle, CURLOPT_SOCKOPTFUNCTION, callback);
}

static inline CURLcode ccurl_easy_setopt_read_callback(CURL *handle,
        size_t (*callback)(char *, size_t, size_t, void *)) {
    return ccurl_api()->easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

static inline CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return ccurl_api()->easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return ccurl_api()->easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return ccurl_api()->easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return ccurl_api()->easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return ccurl_api()->easy_getinfo(handle, info, value);
}

/// CURLVERSION_NOW is a macro Swift does not import; this asks for the struct this header knows.
static inline curl_version_info_data *ccurl_version_info(void) {
    return ccurl_api()->version_info(CURLVERSION_NOW);
}

static inline CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return ccurl_api()->multi_setopt(multi, option, value);
}

#endif
