/* reload.h: two-phase reload of a proxy's TLS configuration, shared by
 * `mtlskit proxy server` (server.c) and `mtlskit proxy client` (client.c).
 *
 * Runs on the main thread, from the pxy_sig_hooks of pxy_signals_wait
 * (loop.h): SIGHUP, or a change of the configuration's files seen by a poll
 * every PXY_RELOAD_POLL_MS (stat: device, inode, size, mtime; a change must
 * hold still for one more poll, so a certificate and its key replaced one
 * after the other are taken together).
 *
 * Phase one builds a complete new pxy_tls (proxy.h) with every check of a
 * start. Only if that succeeds, phase two hands it to each worker through
 * its own slot (an atomic exchange; the worker takes it at its next accept
 * with pxy_tls_take, lock-free). A connection keeps the pxy_tls it was
 * accepted with until it ends, so a reload never touches a live connection.
 * A broken file keeps the old configuration, counts a failed reload in the
 * metrics and logs {"event":"reload","result":"failed","reason":...}; it is
 * not retried until the files change again (or the next SIGHUP). */
#ifndef MTK_PROXY_RELOAD_H
#define MTK_PROXY_RELOAD_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/metrics.h"
#include "proxy.h"

#define PXY_RELOAD_POLL_MS 1000u

/* A worker's hand-over slot: a reload stores the newest pxy_tls here (a
 * reference it owns). */
typedef _Atomic(pxy_tls *) pxy_tls_slot;

/* pxy_tls_take: the worker side. If |slot| holds a newer pxy_tls, it
 * replaces *cur (whose reference is dropped). Relaxed check first: the
 * common case costs one plain load. */
static inline void pxy_tls_take(pxy_tls_slot *slot, pxy_tls **cur) {
  if (atomic_load_explicit(slot, memory_order_relaxed) == NULL) return;
  pxy_tls *n = atomic_exchange_explicit(slot, NULL, memory_order_acquire);
  if (n == NULL) return;
  pxy_tls_unref(*cur);
  *cur = n;
}

/* Files signature: start from PXY_SIG_INIT and fold in each file with
 * pxy_sig_file (a file that cannot be stat'ed folds in its errno; NULL is
 * skipped). */
#define PXY_SIG_INIT 14695981039346656037ull
uint64_t pxy_sig_file(uint64_t h, const char *path);

typedef struct pxy_reloader {
  /* Set by the caller. */
  pxy_tls *(*build)(const void *cfg, char *err, size_t errlen); /* phase one */
  uint64_t (*files_sig)(const void *cfg);
  const void *cfg;
  pxy_tls_slot *(*slot)(void *workers, unsigned i); /* worker i's slot */
  void *workers;
  unsigned n_slots;
  mtk_metrics *metrics; /* reloads_total; NULL: not counted */
  const char *mode;  /* a "mode" field in the log line; NULL: none */
  /* State: the signature the running config was built from, and the last
   * one seen (set both to files_sig(cfg) before the first start). */
  uint64_t sig, seen;
} pxy_reloader;

/* pxy_reload_now builds and, if good, publishes; |trigger| names the cause
 * in the log line ("SIGHUP", "file_change"). */
void pxy_reload_now(pxy_reloader *r, const char *trigger);
/* pxy_sig_hooks callbacks; |arg| is the pxy_reloader. */
void pxy_reload_on_hup(void *arg);
void pxy_reload_on_tick(void *arg);
/* pxy_reload_clear drops the references still waiting in the slots (after
 * the workers are joined). */
void pxy_reload_clear(pxy_reloader *r);

#endif
