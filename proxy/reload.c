/* reload.c: two-phase reload of a proxy's TLS configuration (reload.h). */
#define _GNU_SOURCE
#include "reload.h"

#include <errno.h>
#include <sys/stat.h>

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
  return h;
}

uint64_t pxy_sig_file(uint64_t h, const char *path) {
  struct stat st;
  if (path == NULL) return h;
  if (stat(path, &st) != 0) {
    int e = errno;
    return fnv(h, &e, sizeof e);
  }
  int64_t v[5] = {(int64_t)st.st_dev, (int64_t)st.st_ino, (int64_t)st.st_size,
                  (int64_t)st.st_mtim.tv_sec, (int64_t)st.st_mtim.tv_nsec};
  return fnv(h, v, sizeof v);
}

static pxy_tls_slot *slot_at(const pxy_reloader *r, unsigned i) {
  return r->slot(r->workers, i);
}

static void log_reload(const pxy_reloader *r, const char *result, const char *trigger,
                       const char *reason) {
  mtk_logfield f[4];
  size_t n = 0;
  if (r->mode != NULL) f[n++] = MTK_LOG_STR("mode", r->mode);
  f[n++] = MTK_LOG_STR("result", result);
  f[n++] = MTK_LOG_STR("trigger", trigger);
  if (reason != NULL) f[n++] = MTK_LOG_STR("reason", reason);
  pxy_log_fields("reload", f, n);
}

void pxy_reload_now(pxy_reloader *r, const char *trigger) {
  char err[512];
  uint64_t sig = r->files_sig(r->cfg);
  pxy_tls *t = r->build(r->cfg, err, sizeof err);
  r->sig = r->seen = sig; /* a broken file is not retried until it changes */
  if (r->metrics != NULL) mtk_metrics_reload(r->metrics, t != NULL);
  if (t == NULL) {
    log_reload(r, "failed", trigger, err);
    return;
  }
  for (unsigned i = 0; i < r->n_slots; i++) {
    pxy_tls_ref(t);
    pxy_tls_unref(atomic_exchange_explicit(slot_at(r, i), t, memory_order_acq_rel));
  }
  pxy_tls_unref(t);
  log_reload(r, "ok", trigger, NULL);
}

void pxy_reload_on_hup(void *arg) { pxy_reload_now(arg, "SIGHUP"); }

void pxy_reload_on_tick(void *arg) {
  pxy_reloader *r = arg;
  uint64_t sig = r->files_sig(r->cfg);
  if (sig == r->sig) {
    r->seen = sig;
    return;
  }
  /* Changed: wait one more poll with no further change, then reload. */
  if (sig != r->seen) {
    r->seen = sig;
    return;
  }
  pxy_reload_now(r, "file_change");
}

void pxy_reload_clear(pxy_reloader *r) {
  for (unsigned i = 0; i < r->n_slots; i++)
    pxy_tls_unref(atomic_exchange(slot_at(r, i), NULL));
}
