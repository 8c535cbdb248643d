#include "CCurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static struct ccurl_api api;
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

// libcurl's symbols are looked up once and used until the process ends, so the library is
// never closed: the process is its one owner.
static void *symbol(void *library, const char *name) {
    void *found = dlsym(library, name);
    if (found == NULL) {
        fprintf(stderr, "regwatch: libcurl.so.4 lacks %s; install libcurl4 7.68 or later\n", name);
        exit(1);
    }
    return found;
}

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        fprintf(stderr, "regwatch: cannot load libcurl (%s); install the libcurl4 package\n", dlerror());
        exit(1);
    }
    api.global_init = (CURLcode (*)(long))symbol(library, "curl_global_init");
    api.version_info = (curl_version_info_data * (*)(CURLversion))symbol(library, "curl_version_info");
    api.easy_init = (CURL * (*)(void))symbol(library, "curl_easy_init");
    api.easy_cleanup = (void (*)(CURL *))symbol(library, "curl_easy_cleanup");
    api.easy_perform = (CURLcode (*)(CURL *))symbol(library, "curl_easy_perform");
    api.easy_setopt = (CURLcode (*)(CURL *, CURLoption, ...))symbol(library, "curl_easy_setopt");
    api.easy_getinfo = (CURLcode (*)(CURL *, CURLINFO, ...))symbol(library, "curl_easy_getinfo");
    api.easy_strerror = (const char *(*)(CURLcode))symbol(library, "curl_easy_strerror");
    api.slist_append = (struct curl_slist * (*)(struct curl_slist *, const char *))symbol(library, "curl_slist_append");
    api.slist_free_all = (void (*)(struct curl_slist *))symbol(library, "curl_slist_free_all");
    api.multi_init = (CURLM * (*)(void))symbol(library, "curl_multi_init");
    api.multi_cleanup = (CURLMcode (*)(CURLM *))symbol(library, "curl_multi_cleanup");
    api.multi_add_handle = (CURLMcode (*)(CURLM *, CURL *))symbol(library, "curl_multi_add_handle");
    api.multi_remove_handle = (CURLMcode (*)(CURLM *, CURL *))symbol(library, "curl_multi_remove_handle");
    api.multi_perform = (CURLMcode (*)(CURLM *, int *))symbol(library, "curl_multi_perform");
    api.multi_poll = (CURLMcode (*)(CURLM *, struct curl_waitfd *, unsigned int, int, int *))symbol(library, "curl_multi_poll");
    api.multi_wakeup = (CURLMcode (*)(CURLM *))symbol(library, "curl_multi_wakeup");
    api.multi_info_read = (CURLMsg * (*)(CURLM *, int *))symbol(library, "curl_multi_info_read");
    api.multi_setopt = (CURLMcode (*)(CURLM *, CURLMoption, ...))symbol(library, "curl_multi_setopt");
}

const struct ccurl_api *ccurl_api(void) {
    pthread_once(&loaded, load);
    return &api;
}
