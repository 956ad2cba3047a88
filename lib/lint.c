/* lint.c: the check registry, profiles, the finding list and the two entry
 * points. The checks themselves live in lint_<area>.c (see lint_internal.h). */
#include "mtlskit/lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lint_internal.h"

/* ---- registry -------------------------------------------------------------- */

static const mtk_check k_checks[LC__COUNT] = {
#define LINT_X_ENTRY(id, sev, eff, src, app, pub, quirk, sum) {#id, sev, eff, src, app, pub, sum},
    LINT_CHECK_LIST(LINT_X_ENTRY)
#undef LINT_X_ENTRY
};

/* The quirk kind each check reports (0 for computed checks). */
static const mtk_quirk_kind k_quirk_of[LC__COUNT] = {
#define LINT_X_QUIRK(id, sev, eff, src, app, pub, quirk, sum) (mtk_quirk_kind)(quirk),
    LINT_CHECK_LIST(LINT_X_QUIRK)
#undef LINT_X_QUIRK
};

const mtk_check *mtk_checks(size_t *n) {
  if (n != NULL) *n = LC__COUNT;
  return k_checks;
}

const mtk_check *mtk_check_find(const char *id) {
  if (id == NULL) return NULL;
  for (size_t i = 0; i < LC__COUNT; i++)
    if (strcmp(k_checks[i].id, id) == 0) return &k_checks[i];
  return NULL;
}

const mtk_check *lint_check_of(lint_id id) { return &k_checks[id]; }

const char *mtk_severity_name(mtk_severity s) {
  switch (s) {
    case MTK_SEV_ERROR: return "error";
    case MTK_SEV_WARNING: return "warning";
    case MTK_SEV_NOTICE: return "notice";
  }
  return "unknown";
}

/* ---- profiles --------------------------------------------------------------- */

static const char *const k_profile_names[] = {"auto", "server", "client", "ca", "csr"};

const char *mtk_profile_name(mtk_profile p) {
  if ((unsigned)p < sizeof(k_profile_names) / sizeof(k_profile_names[0]))
    return k_profile_names[p];
  return "unknown";
}

bool mtk_profile_parse(const char *s, mtk_profile *out) {
  if (s == NULL || out == NULL) return false;
  for (unsigned i = 0; i < sizeof(k_profile_names) / sizeof(k_profile_names[0]); i++) {
    if (strcmp(s, k_profile_names[i]) == 0) {
      *out = (mtk_profile)i;
      return true;
    }
  }
  return false;
}

mtk_profile mtk_lint_auto_profile(const mtk_cert *c) {
  if (c == NULL) return MTK_PROFILE_SERVER;
  mtk_basic_constraints bc;
  if (lint_bc(&c->exts, &bc) && bc.ca) return MTK_PROFILE_CA;
  /* A v1 certificate cannot say it is a CA; a self-issued one is an old
   * root, which is how OpenSSL treats it too. */
  if (c->version == 1 && mtk_cert_is_self_issued(c)) return MTK_PROFILE_CA;
  const mtk_ext *eku = mtk_ext_get(&c->exts, MTK_XK_EKU);
  if (eku == NULL) return MTK_PROFILE_SERVER;
  if (mtk_ext_has_eku(&eku->value, MTK_OID_EKU_SERVER_AUTH) ||
      mtk_ext_has_eku(&eku->value, MTK_OID_EKU_ANY))
    return MTK_PROFILE_SERVER;
  /* clientAuth, or neither: a leaf that cannot serve TLS is linted as a
   * client, where the missing clientAuth is reported. */
  return MTK_PROFILE_CLIENT;
}

static unsigned role_of(mtk_profile p) {
  switch (p) {
    case MTK_PROFILE_SERVER: return MTK_APPLIES_SERVER;
    case MTK_PROFILE_CLIENT: return MTK_APPLIES_CLIENT;
    case MTK_PROFILE_CA: return MTK_APPLIES_CA;
    case MTK_PROFILE_CSR: return MTK_APPLIES_CSR;
    case MTK_PROFILE_AUTO: break;
  }
  return 0;
}

/* ---- findings ---------------------------------------------------------------- */

bool lint_wants(const lint_ctx *x, lint_id id) {
  const mtk_check *c = &k_checks[id];
  if ((c->applies & x->role) == 0) return false;
  /* A dated rule binds objects issued on or after its date: certificates
   * by notBefore, requests by "now". */
  return c->effective_time == 0 || x->issued >= c->effective_time;
}

void lint_emit(lint_ctx *x, lint_id id, size_t off, const char *path, const char *fmt, ...) {
  if (!lint_wants(x, id)) return;
  const mtk_check *c = &k_checks[id];
  mtk_severity sev = (c->public_only && x->opts->private_pki) ? MTK_SEV_NOTICE : c->severity;
  mtk_findings *o = x->out;
  switch (sev) {
    case MTK_SEV_ERROR: o->n_error++; break;
    case MTK_SEV_WARNING: o->n_warning++; break;
    case MTK_SEV_NOTICE: o->n_notice++; break;
  }
  if (o->n >= MTK_MAX_FINDINGS) {
    o->dropped++;
    return;
  }
  mtk_finding *f = &o->items[o->n++];
  memset(f, 0, sizeof(*f));
  f->check = c;
  f->severity = sev;
  f->offset = off;
  snprintf(f->path, sizeof(f->path), "%s", path != NULL ? path : "");
  if (fmt != NULL) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
    va_end(ap);
  }
}

/* ---- quirks --------------------------------------------------------------------- */

static bool quirk_check(mtk_quirk_kind k, lint_id *out) {
  for (size_t i = 0; i < LC__COUNT; i++) {
    if (k_quirk_of[i] == k) {
      *out = (lint_id)i;
      return true;
    }
  }
  return false;
}

/* Every quirk the parser recorded becomes a finding of its check, with the
 * parser's path and offset. */
static void lint_quirks(lint_ctx *x) {
  const mtk_diag *d = x->opts->parse_diag;
  if (d == NULL) return;
  size_t n = d->n_quirks < MTK_MAX_QUIRKS ? d->n_quirks : MTK_MAX_QUIRKS;
  for (size_t i = 0; i < n; i++) {
    const mtk_quirk *q = &d->quirks[i];
    lint_id id;
    if (!quirk_check(q->kind, &id)) continue;
    lint_emit(x, id, q->offset, q->path, NULL);
  }
}

/* ---- entry points ---------------------------------------------------------------- */

static void ctx_init(lint_ctx *x, const mtk_lint_opts *opts, mtk_findings *out, unsigned role) {
  memset(x, 0, sizeof(*x));
  x->opts = opts;
  x->out = out;
  x->role = role;
  x->fatal = MTK_OK;
}

mtk_status mtk_lint_cert(const mtk_cert *c, const mtk_lint_opts *opts, mtk_findings *out) {
  if (c == NULL || opts == NULL || out == NULL) return MTK_ERR_ARG;
  mtk_profile p = opts->profile == MTK_PROFILE_AUTO ? mtk_lint_auto_profile(c) : opts->profile;
  unsigned role = role_of(p);
  if (role == 0 || role == MTK_APPLIES_CSR) return MTK_ERR_ARG;
  lint_ctx x;
  ctx_init(&x, opts, out, role);
  x.issued = c->not_before;
  x.cert = c;
  x.subject = &c->subject;
  x.spki = &c->spki;
  x.exts = &c->exts;
  x.root = "tbsCertificate";
  lint_pathf(x.subject_path, sizeof(x.subject_path), "tbsCertificate.subject");
  lint_pathf(x.spki_path, sizeof(x.spki_path), "tbsCertificate.subjectPublicKeyInfo");
  if (c->exts.present) lint_pathf(x.ext_path, sizeof(x.ext_path), "tbsCertificate.extensions");

  lint_quirks(&x);
  lint_tbs_fields(&x);
  lint_validity(&x);
  lint_key(&x);
  lint_sig_cert(&x);
  lint_names(&x);
  lint_san(&x);
  lint_ext_common(&x);
  lint_ext_cert(&x);
  return x.fatal;
}

/* The index of the extensionRequest attribute, for paths. */
static unsigned csr_ext_request_index(const mtk_csr *r) {
  mtk_cbs rest = r->attributes;
  mtk_csr_attr a;
  for (unsigned i = 0; mtk_csr_attr_next(&rest, &a); i++)
    if (a.id == MTK_OID_EXTENSION_REQUEST) return i;
  return 0;
}

mtk_status mtk_lint_csr(const mtk_csr *r, const mtk_lint_opts *opts, mtk_findings *out) {
  if (r == NULL || opts == NULL || out == NULL) return MTK_ERR_ARG;
  if (opts->profile != MTK_PROFILE_AUTO && opts->profile != MTK_PROFILE_CSR) return MTK_ERR_ARG;
  lint_ctx x;
  ctx_init(&x, opts, out, MTK_APPLIES_CSR);
  x.issued = opts->now;
  x.csr = r;
  x.subject = &r->subject;
  x.spki = &r->spki;
  x.exts = &r->exts;
  x.root = "certificationRequestInfo";
  lint_pathf(x.subject_path, sizeof(x.subject_path), "certificationRequestInfo.subject");
  lint_pathf(x.spki_path, sizeof(x.spki_path), "certificationRequestInfo.subjectPKInfo");
  if (r->has_ext_request)
    lint_pathf(x.ext_path, sizeof(x.ext_path),
               "certificationRequestInfo.attributes[%u].extensionRequest",
               csr_ext_request_index(r));

  lint_quirks(&x);
  lint_key(&x);
  lint_sig_csr(&x);
  lint_names(&x);
  lint_san(&x);
  lint_ext_common(&x);
  lint_ext_csr(&x);
  return x.fatal;
}
