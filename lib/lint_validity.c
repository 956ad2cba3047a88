/* lint_validity.c: checks of the certificate's own fields: validity against
 * "now" and the BR maximum periods, serial number, version, issuer, unique
 * identifiers. */
#include <stdio.h>

#include "lint_internal.h"

/* ---- validity ----------------------------------------------------------------------- */

/* BR 6.3.2 maximum validity of subscriber (server) certificates by the date
 * of issuance, newest first. */
typedef struct validity_step {
  mtk_time since;
  const char *since_text;
  int64_t days;
} validity_step;

static const validity_step k_validity_steps[] = {
    {LINT_TIME(2029, 3, 15), "2029-03-15", 47},
    {LINT_TIME(2027, 3, 15), "2027-03-15", 100},
    {LINT_TIME(2026, 3, 15), "2026-03-15", 200},
    {LINT_TIME(2020, 9, 1), "2020-09-01", 398},
};

static void check_time_window(lint_ctx *x) {
  const mtk_cert *c = x->cert;
  mtk_time now = x->opts->now;
  char a[32], b[32];
  if (c->not_before > c->not_after) {
    mtk_time_format(c->not_before, a, sizeof(a));
    mtk_time_format(c->not_after, b, sizeof(b));
    lint_emit(x, LC_e_validity_negative, c->not_before_off, "tbsCertificate.validity",
              "notBefore %s is after notAfter %s", a, b);
  }
  /* RFC 5280 4.1.2.5: the period includes both notBefore and notAfter. */
  if (now > c->not_after) {
    mtk_time_format(c->not_after, a, sizeof(a));
    mtk_time_format(now, b, sizeof(b));
    lint_emit(x, LC_e_cert_expired, c->not_after_off, "tbsCertificate.validity.notAfter",
              "expired %s (now %s)", a, b);
  }
  if (now < c->not_before) {
    mtk_time_format(c->not_before, a, sizeof(a));
    mtk_time_format(now, b, sizeof(b));
    lint_emit(x, LC_e_cert_not_yet_valid, c->not_before_off, "tbsCertificate.validity.notBefore",
              "valid from %s (now %s)", a, b);
  }
}

/* BR 6.3.2, with BR 1.6.1 "Validity Period": notBefore through notAfter
 * inclusive, so the period is notAfter - notBefore + 1 second. */
static void check_server_validity(lint_ctx *x) {
  const mtk_cert *c = x->cert;
  if (!lint_wants(x, LC_e_server_validity_too_long) || c->not_after < c->not_before) return;
  const validity_step *step = NULL;
  for (size_t i = 0; i < sizeof(k_validity_steps) / sizeof(k_validity_steps[0]); i++) {
    if (c->not_before >= k_validity_steps[i].since) {
      step = &k_validity_steps[i];
      break;
    }
  }
  if (step == NULL) return;
  int64_t period = c->not_after - c->not_before + 1;
  if (period <= step->days * 86400) return;
  long long days = (long long)(period / 86400), rem = (long long)(period % 86400);
  char len[48];
  if (rem == 0)
    snprintf(len, sizeof(len), "%lld days", days);
  else
    snprintf(len, sizeof(len), "%lld days + %lld s", days, rem);
  lint_emit(x, LC_e_server_validity_too_long, c->not_after_off, "tbsCertificate.validity",
            "valid for %s (notAfter inclusive); the limit is %lld days for notBefore on or "
            "after %s",
            len, (long long)step->days, step->since_text);
}

void lint_validity(lint_ctx *x) {
  check_time_window(x);
  check_server_validity(x);
}

/* ---- serial, version, issuer, unique identifiers ------------------------------------ */

/* RFC 5280 4.1.2.2: positive, at most 20 octets; BR 7.1: at least 64 bits
 * from a CSPRNG. A negative serial is the parser's quirk e_serial_negative. */
static void check_serial(lint_ctx *x) {
  const mtk_cert *c = x->cert;
  const mtk_cbs *s = &c->serial;
  const char *path = "tbsCertificate.serialNumber";
  size_t mag = s->len, i = 0;
  while (i < s->len && s->p[i] == 0) i++;
  mag = s->len - i;
  if (mag == 0) {
    lint_emit(x, LC_e_serial_zero, s->off, path, "serial number 0");
    return;
  }
  if (s->len > 20)
    lint_emit(x, LC_e_serial_too_long, s->off, path, "%zu octets (at most 20)", s->len);
  /* 64 random bits need 8 octets; a shorter serial cannot hold them. (A
   * 9-octet cut-off would flag half of all correct 64-bit serials.) */
  if (!c->serial_negative && mag < 8)
    lint_emit(x, LC_w_serial_low_entropy, s->off, path, "%zu-octet serial (%zu bits at most)",
              mag, mag * 8);
}

static void check_version(lint_ctx *x) {
  const mtk_cert *c = x->cert;
  if (c->version >= 3) return;
  lint_emit(x, LC_e_cert_not_v3, c->tbs.off, "tbsCertificate.version", "v%u certificate",
            c->version);
  if (c->version == 1)
    lint_emit(x, LC_n_ca_cert_v1, c->tbs.off, "tbsCertificate.version", "v1 CA certificate");
}

static void check_issuer_and_uids(lint_ctx *x) {
  const mtk_cert *c = x->cert;
  if (c->issuer.n_rdns == 0)
    lint_emit(x, LC_e_issuer_empty, c->issuer.elem.off, "tbsCertificate.issuer",
              "empty issuer name");
  if (c->has_issuer_uid)
    lint_emit(x, LC_e_unique_id_present, c->issuer_uid.off, "tbsCertificate.issuerUniqueID",
              "issuerUniqueID present");
  if (c->has_subject_uid)
    lint_emit(x, LC_e_unique_id_present, c->subject_uid.off, "tbsCertificate.subjectUniqueID",
              "subjectUniqueID present");
}

void lint_tbs_fields(lint_ctx *x) {
  check_serial(x);
  check_version(x);
  check_issuer_and_uids(x);
}
