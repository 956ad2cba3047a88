/* pki_files.c: file output and shared helpers of `mtlskit pki` and
 * `mtlskit csr` (pki_files.h). */
#include "pki_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "mtlskit/keys.h"
#include "mtlskit/oid.h"
#include "mtlskit/pem.h"
#include "mtlskit/str.h"

/* ---- paths ---------------------------------------------------------------------- */

static char *concat3(const char *a, const char *sep, const char *b) {
  size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
  char *s = malloc(la + ls + lb + 1);
  if (s == NULL) {
    cli_error("out of memory");
    return NULL;
  }
  memcpy(s, a, la);
  memcpy(s + la, sep, ls);
  memcpy(s + la + ls, b, lb + 1);
  return s;
}

char *pf_join(const char *a, const char *b) {
  size_t la = strlen(a);
  return concat3(a, la > 0 && a[la - 1] == '/' ? "" : "/", b);
}

char *pf_concat(const char *a, const char *b) { return concat3(a, "", b); }

bool pf_exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

bool pf_refuse_existing(const char *const *paths, size_t n, const char *hint) {
  for (size_t i = 0; i < n; i++) {
    if (paths[i] != NULL && pf_exists(paths[i])) {
      cli_error("%s exists; not overwritten (%s)", paths[i], hint);
      return true;
    }
  }
  return false;
}

/* Creates the missing parents of |path| (0755, less the umask, as mkdir -p). */
static void mkdir_parents(const char *path) {
  char buf[4096];
  size_t n = strlen(path);
  if (n == 0 || n >= sizeof(buf)) return;
  memcpy(buf, path, n + 1);
  for (size_t i = 1; i < n; i++) {
    if (buf[i] != '/') continue;
    buf[i] = '\0';
    if (mkdir(buf, 0755) != 0 && errno != EEXIST) return;
    buf[i] = '/';
  }
}

bool pf_mkdir(const char *path, unsigned mode) {
  if (mkdir(path, (mode_t)mode) == 0) return true;
  if (errno == ENOENT) {
    mkdir_parents(path);
    if (mkdir(path, (mode_t)mode) == 0) return true;
  }
  if (errno == EEXIST) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return true;
    cli_error("%s exists and is not a directory", path);
    return false;
  }
  cli_error("%s: cannot create the directory: %s", path, strerror(errno));
  return false;
}

/* ---- atomic writes ---------------------------------------------------------------------- */

static bool write_all(int fd, const uint8_t *p, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    len -= (size_t)n;
  }
  return true;
}

/* The directory part of |path| ("." if none), for fsync. */
static void sync_dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  char dir[4096];
  if (slash == NULL) {
    snprintf(dir, sizeof(dir), ".");
  } else {
    size_t n = (size_t)(slash - path);
    if (n == 0) n = 1;
    if (n >= sizeof(dir)) return;
    memcpy(dir, path, n);
    dir[n] = '\0';
  }
  int fd = open(dir, O_RDONLY);
  if (fd < 0) return;
  (void)fsync(fd);
  close(fd);
}

/* Fallback for file systems without hard links: O_EXCL create and write
 * (still never replaces a file, but not atomic). */
static mtk_status write_excl(const char *path, const uint8_t *data, size_t len, bool secret) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, secret ? 0600 : 0644);
  if (fd < 0) {
    if (errno == EEXIST) return MTK_ERR_PKI_EXISTS;
    cli_error("%s: %s", path, strerror(errno));
    return MTK_ERR_IO;
  }
  bool ok = fchmod(fd, secret ? 0600 : 0644) == 0 && write_all(fd, data, len) && fsync(fd) == 0;
  if (close(fd) != 0) ok = false;
  if (!ok) {
    cli_error("%s: write failed: %s", path, strerror(errno));
    unlink(path);
    return MTK_ERR_IO;
  }
  return MTK_OK;
}

mtk_status pf_write(const char *path, const uint8_t *data, size_t len, bool secret, bool force) {
  char *tmp = pf_concat(path, ".tmp-XXXXXX");
  if (tmp == NULL) return MTK_ERR_NOMEM;
  mtk_status rv = MTK_ERR_IO;
  int fd = mkstemp(tmp);
  if (fd < 0) {
    cli_error("%s: cannot create a temporary file: %s", path, strerror(errno));
    free(tmp);
    return MTK_ERR_IO;
  }
  /* Set the mode explicitly: mkstemp's 0600 is filtered by the umask. */
  bool ok = fchmod(fd, secret ? 0600 : 0644) == 0 && write_all(fd, data, len) && fsync(fd) == 0;
  if (close(fd) != 0) ok = false;
  if (!ok) {
    cli_error("%s: write failed: %s", path, strerror(errno));
    goto out;
  }
  if (force) {
    if (rename(tmp, path) != 0) {
      cli_error("%s: %s", path, strerror(errno));
      goto out;
    }
    rv = MTK_OK;
  } else if (link(tmp, path) == 0) {
    rv = MTK_OK;
  } else if (errno == EEXIST) {
    rv = MTK_ERR_PKI_EXISTS;
  } else if (errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == EMLINK ||
             errno == ENOSYS) {
    rv = write_excl(path, data, len, secret);
  } else {
    cli_error("%s: %s", path, strerror(errno));
  }
  if (rv == MTK_OK) sync_dir_of(path);
out:
  unlink(tmp); /* after rename it is gone already: harmless */
  free(tmp);
  if (rv == MTK_ERR_PKI_EXISTS) cli_error("%s exists; not overwritten (use --force to replace it)", path);
  return rv;
}

/* ---- the directory lock ---------------------------------------------------------------------- */

int pf_lock(const char *dir) {
  char *path = pf_join(dir, ".lock");
  if (path == NULL) return -1;
  int fd = open(path, O_RDWR | O_CREAT, 0600);
  if (fd < 0) {
    cli_error("%s: %s", path, strerror(errno));
    free(path);
    return -1;
  }
  struct flock fl;
  memset(&fl, 0, sizeof(fl));
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  while (fcntl(fd, F_SETLKW, &fl) != 0) {
    if (errno == EINTR) continue;
    cli_error("%s: cannot lock: %s", path, strerror(errno));
    close(fd);
    free(path);
    return -1;
  }
  free(path);
  return fd;
}

void pf_unlock(int fd) {
  if (fd >= 0) close(fd); /* closing releases the fcntl lock */
}

/* ---- input ---------------------------------------------------------------------------------- */

void pf_wipe_free(uint8_t *p, size_t len) {
  if (p == NULL) return;
  OPENSSL_cleanse(p, len);
  free(p);
}

bool pf_read_der(const char *path, mtk_obj_kind kind, uint8_t **der, size_t *len) {
  uint8_t *data = NULL;
  size_t n = 0;
  if (!cli_read_file(path, &data, &n)) return false;
  uint8_t *scratch = malloc(n + 1);
  bool ok = false;
  if (scratch == NULL) {
    cli_error("out of memory");
    free(data);
    return false;
  }
  mtk_pem_reader rd;
  mtk_pem_obj obj;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_pem_reader_init(&rd, data, n);
  for (;;) {
    if (mtk_pem_next(&rd, scratch, n, &obj, &d) != MTK_OK) {
      char msg[512];
      mtk_error_format(&d.err, msg, sizeof(msg));
      cli_error("%s: %s", path, msg);
      break;
    }
    if (obj.kind == MTK_OBJ_NONE) {
      cli_error("%s: no %s in the file", path, mtk_obj_kind_name(kind));
      break;
    }
    if (obj.kind != kind) continue;
    *der = malloc(obj.der.len ? obj.der.len : 1);
    if (*der == NULL) {
      cli_error("out of memory");
      break;
    }
    memcpy(*der, obj.der.p, obj.der.len);
    *len = obj.der.len;
    ok = true;
    break;
  }
  pf_wipe_free(scratch, n + 1);
  pf_wipe_free(data, n);
  return ok;
}

mtk_pki_key *pf_read_key(const char *path) {
  uint8_t *data = NULL;
  size_t n = 0;
  struct stat st;
  if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) != 0)
    fprintf(stderr, "mtlskit: warning: %s is readable by others (mode %04o); run chmod 600 %s\n",
            path, (unsigned)(st.st_mode & 07777), path);
  if (!cli_read_file(path, &data, &n)) return NULL;
  mtk_pki_key *k = NULL;
  mtk_status s = mtk_pki_key_load(data, n, &k);
  if (s != MTK_OK) {
    bool enc = false;
    if (mtk_private_key_is_encrypted(data, n, &enc) == MTK_OK && enc)
      cli_error("%s: the key is encrypted; mtlskit never asks for passphrases (decrypt it with "
                "`openssl pkey -in %s -out PLAIN`, kept 0600)",
                path, path);
    else
      cli_error("%s: not a private key mtlskit can read (%s)", path, mtk_status_message(s));
  }
  pf_wipe_free(data, n);
  return k;
}

/* ---- options --------------------------------------------------------------------------------- */

size_t pf_values(const cli_cmd *cmd, const cli_args *a, const char *name, const char **out,
                 size_t cap) {
  int idx = -1;
  for (int i = 0; cmd->opts[i].name != NULL; i++)
    if (strcmp(cmd->opts[i].name, name) == 0) idx = i;
  size_t n = 0;
  for (size_t i = 0; i < a->n_values && n < cap; i++)
    if (a->value_opt[i] == idx) out[n++] = a->values[i];
  return n;
}

bool pf_days(const char *v, uint32_t max, uint32_t *out) {
  *out = 0;
  if (v == NULL) return true;
  unsigned long long d = 0;
  size_t i = 0;
  for (; v[i] >= '0' && v[i] <= '9' && i < 9; i++) d = d * 10 + (unsigned long long)(v[i] - '0');
  if (i == 0 || v[i] != '\0' || d == 0 || d > max) {
    cli_error("--days: '%s' is not a number of days from 1 to %u", v, (unsigned)max);
    return false;
  }
  *out = (uint32_t)d;
  return true;
}

int pf_status_exit(mtk_status s) {
  switch (s) {
    case MTK_OK: return MTK_EXIT_OK;
    case MTK_ERR_PKI_POLICY:
    case MTK_ERR_PKI_SELF_CHECK:
    case MTK_ERR_SIG_INVALID:
    case MTK_ERR_SIG_UNSUPPORTED:
    case MTK_ERR_PKI_WEAK_KEY:
      return MTK_EXIT_FINDING;
    default:
      return MTK_EXIT_BAD_INPUT;
  }
}

void pf_print_err(const char *context, mtk_status s, const mtk_pki_err *err) {
  if (err != NULL && err->code == s && err->msg[0] != '\0')
    cli_error("%s: %s", context, err->msg);
  else
    cli_error("%s: %s (%s)", context, mtk_status_message(s), mtk_status_name(s));
}

/* ---- names ------------------------------------------------------------------------------------- */

static void sanitize(const uint8_t *p, size_t len, char *buf, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < len && o + 1 < cap && o < 64; i++) {
    uint8_t c = p[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '-' || c == '_') {
      buf[o++] = (char)c;
    } else if (c == '*') {
      const char *w = "wildcard";
      for (size_t k = 0; w[k] != '\0' && o + 1 < cap && o < 64; k++) buf[o++] = w[k];
    } else if (o > 0 && buf[o - 1] != '_') {
      buf[o++] = '_';
    }
  }
  while (o > 0 && (buf[o - 1] == '_' || buf[o - 1] == '.')) o--;
  size_t start = 0;
  while (start < o && (buf[start] == '.' || buf[start] == '-' || buf[start] == '_')) start++;
  memmove(buf, buf + start, o - start);
  o -= start;
  buf[o] = '\0';
}

void pf_default_name(const mtk_cert *c, char *buf, size_t cap) {
  buf[0] = '\0';
  mtk_name_iter it;
  mtk_attr a;
  mtk_name_iter_init(&it, &c->subject);
  while (mtk_name_next(&it, &a))
    if (a.id == MTK_OID_AT_CN) sanitize(a.value.p, a.value.len, buf, cap);
  const mtk_ext *san = mtk_ext_get(&c->exts, MTK_XK_SAN);
  mtk_gn_iter gi;
  mtk_gn g;
  if (buf[0] == '\0' && san != NULL && mtk_gn_iter_init_ext(&gi, &san->value) &&
      mtk_gn_next(&gi, &g)) {
    if (g.type == MTK_GN_IP) {
      mtk_buf b;
      mtk_buf_init(&b, 256);
      if (mtk_str_ip(&b, g.value.p, g.value.len) == MTK_OK && b.p != NULL)
        sanitize(b.p, b.len, buf, cap);
      mtk_buf_free(&b);
    } else {
      sanitize(g.value.p, g.value.len, buf, cap);
    }
  }
  if (buf[0] == '\0') snprintf(buf, cap, "cert");
}

bool pf_check_name(const char *name) {
  size_t n = strlen(name);
  bool ok = n > 0 && n <= 64 && name[0] != '.' && name[0] != '-';
  for (size_t i = 0; ok && i < n; i++) {
    char c = name[i];
    ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
  }
  if (!ok)
    cli_error("NAME '%s': use 1 to 64 letters, digits, '.', '-' or '_' (not first '.' or '-')",
              name);
  return ok;
}

/* ---- the summary ---------------------------------------------------------------------------------- */

static void print_summary(const char *what, const mtk_cert *c, const mtk_findings *f) {
  mtk_buf b;
  mtk_buf_init(&b, 1 << 20);
  (void)mtk_str_name(&b, &c->subject, MTK_DN_RFC4514, MTK_ESC_TEXT);
  printf("%s: %s\n", what, b.len > 0 ? (const char *)b.p : "(empty subject)");
  mtk_buf_reset(&b);
  (void)mtk_str_hex(&b, c->serial.p, c->serial.len, ':', true);
  printf("  serial     %s\n", b.p != NULL ? (const char *)b.p : "");
  const mtk_ext *san = mtk_ext_get(&c->exts, MTK_XK_SAN);
  mtk_gn_iter gi;
  mtk_gn g;
  if (san != NULL && mtk_gn_iter_init_ext(&gi, &san->value)) {
    mtk_buf_reset(&b);
    bool first = true;
    while (mtk_gn_next(&gi, &g)) {
      (void)mtk_buf_printf(&b, "%s%s:", first ? "" : ", ", mtk_gn_type_name(g.type));
      if (g.type == MTK_GN_IP) (void)mtk_str_ip(&b, g.value.p, g.value.len);
      else (void)mtk_str_escape_utf8(&b, g.value.p, g.value.len, MTK_ESC_TEXT);
      first = false;
    }
    printf("  names      %s\n", b.p != NULL ? (const char *)b.p : "");
  }
  const mtk_ext *eku = mtk_ext_get(&c->exts, MTK_XK_EKU);
  if (eku != NULL) {
    bool s = mtk_ext_has_eku(&eku->value, MTK_OID_EKU_SERVER_AUTH);
    bool cl = mtk_ext_has_eku(&eku->value, MTK_OID_EKU_CLIENT_AUTH);
    printf("  usage      %s%s%s\n", s ? "serverAuth" : "", s && cl ? ", " : "",
           cl ? "clientAuth" : "");
  }
  char nb[40], na[40];
  mtk_time_format(c->not_before, nb, sizeof(nb));
  mtk_time_format(c->not_after, na, sizeof(na));
  printf("  valid      %s to %s (%lld days)\n", nb, na,
         (long long)((c->not_after - c->not_before + 1) / 86400));
  if (c->spki.type == MTK_KEY_EC)
    printf("  key        EC %s\n", mtk_oid_long_name(c->spki.curve));
  else
    printf("  key        %s-%u\n", mtk_key_type_name(c->spki.type), c->spki.bits);
  if (f != NULL)
    printf("  self-check %zu errors, %zu warnings, %zu notices (as `mtlskit check --private-pki`)\n",
           f->n_error, f->n_warning, f->n_notice);
  mtk_buf_free(&b);
}

void pf_print_cert(const char *what, const uint8_t *der, size_t len, const mtk_findings *f) {
  mtk_cert *c = malloc(sizeof(*c));
  mtk_diag *d = malloc(sizeof(*d));
  if (c != NULL && d != NULL) {
    mtk_diag_init(d);
    if (mtk_cert_parse(c, der, len, d) == MTK_OK) print_summary(what, c, f);
  }
  free(d);
  free(c);
}

bool pf_index_append(const char *dir, const uint8_t *der, size_t len) {
  char *path = pf_join(dir, "index.txt");
  if (path == NULL) return false;
  mtk_buf b;
  mtk_buf_init(&b, MTK_MAX_INPUT);
  bool ok = true;
  if (pf_exists(path)) {
    uint8_t *old = NULL;
    size_t n = 0;
    ok = cli_read_file(path, &old, &n) && mtk_buf_append(&b, old, n) == MTK_OK;
    free(old);
    if (ok && b.len > 0 && b.p[b.len - 1] != '\n') ok = mtk_buf_putc(&b, '\n') == MTK_OK;
  }
  ok = ok && mtk_pki_index_line(der, len, &b) == MTK_OK;
  ok = ok && pf_write(path, b.p, b.len, false, true) == MTK_OK;
  if (!ok) cli_error("%s: could not record the certificate", path);
  mtk_buf_free(&b);
  free(path);
  return ok;
}
