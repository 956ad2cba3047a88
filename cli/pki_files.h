/* pki_files.h: what `mtlskit pki` and `mtlskit csr` share: safe file
 * output, the PKI directory's lock, certificate input, repeated options,
 * and the summary of an issued certificate.
 *
 * Every file is written to a temporary file in the same directory (mkstemp,
 * mode set with fchmod so the umask does not matter), flushed to disk, and
 * put in place atomically: with link(2) when it must not replace anything
 * (so an existing file, a private key above all, is never overwritten, even
 * by a concurrent writer), with rename(2) for --force. Private keys are
 * 0600, certificates and requests 0644. */
#ifndef MTK_CLI_PKI_FILES_H
#define MTK_CLI_PKI_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "mtlskit/buf.h"
#include "mtlskit/pem.h"
#include "mtlskit/pki.h"
#include "mtlskit/x509.h"

/* pf_write writes |len| bytes to |path| as described above (|secret|:
 * mode 0600). Without |force| an existing |path| is left alone and
 * MTK_ERR_PKI_EXISTS returned; MTK_ERR_IO for other failures (printed). */
mtk_status pf_write(const char *path, const uint8_t *data, size_t len, bool secret, bool force);

/* pf_exists: something (file, link, directory) is at |path|. */
bool pf_exists(const char *path);

/* pf_refuse_existing prints, for the first of the |n| paths that exists,
 * "mtlskit: PATH exists; not overwritten (HINT)" and returns true. */
bool pf_refuse_existing(const char *const *paths, size_t n, const char *hint);

/* pf_mkdir creates directory |path| with mode |mode| if it is missing;
 * false (printed) on failure or if something else is there. */
bool pf_mkdir(const char *path, unsigned mode);

/* pf_join returns "a/b" (malloc'ed; aborts the command on no memory: NULL
 * is returned only after printing). */
char *pf_join(const char *a, const char *b);
char *pf_concat(const char *a, const char *b);

/* pf_lock takes an exclusive lock on DIR/.lock (fcntl; waits), so that two
 * commands never update one PKI directory at once. Returns the fd, or -1
 * (printed). pf_unlock releases it. */
int pf_lock(const char *dir);
void pf_unlock(int fd);

/* pf_read_der reads the first object of |kind| (MTK_OBJ_CERT,
 * MTK_OBJ_CSR) of a PEM or DER file into a malloc'ed DER buffer. Prints
 * and returns false on failure. */
bool pf_read_der(const char *path, mtk_obj_kind kind, uint8_t **der, size_t *len);

/* pf_read_key reads a private key file; says why it could not (encrypted,
 * not a key) and returns NULL. Warns when a key file is readable by group
 * or others. */
mtk_pki_key *pf_read_key(const char *path);

/* pf_values collects every value of the repeatable option |name| into
 * |out| (capacity |cap|); returns the count. */
size_t pf_values(const cli_cmd *cmd, const cli_args *a, const char *name, const char **out,
                 size_t cap);

/* pf_days parses --days: 1..|max|; 0 if absent. Prints and returns false if
 * it is not a number in range. */
bool pf_days(const char *v, uint32_t max, uint32_t *out);

/* pf_status_exit maps a library status to an exit code: a refusal by the
 * policy or a failed self-check is 1 (MTK_EXIT_FINDING), anything else 2. */
int pf_status_exit(mtk_status s);

/* pf_print_err prints "mtlskit: CONTEXT: MESSAGE" for a failed call. */
void pf_print_err(const char *context, mtk_status s, const mtk_pki_err *err);

/* pf_default_name derives a file name for certificate |c| from its CN or
 * its first subjectAltName entry: letters, digits, '.', '-' and '_' kept,
 * '*' as "wildcard", anything else '_', at most 64 characters; "cert" if
 * nothing is left. */
void pf_default_name(const mtk_cert *c, char *buf, size_t cap);

/* pf_check_name validates a NAME given on the command line (the same
 * alphabet, not starting with '.' or '-'). Prints and returns false. */
bool pf_check_name(const char *name);

/* pf_print_cert prints the summary of an issued certificate: subject,
 * serial, names, usage, validity, key, and the self-check's counts. */
void pf_print_cert(const char *what, const uint8_t *der, size_t len, const mtk_findings *f);

/* pf_index_append adds the index.txt line of |der| to DIR/index.txt
 * (under the caller's lock). */
bool pf_index_append(const char *dir, const uint8_t *der, size_t len);

/* pf_wipe_free cleanses and frees |len| bytes at |p| (file contents that
 * may hold a key). */
void pf_wipe_free(uint8_t *p, size_t len);

#endif
