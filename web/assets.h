/* assets.h: the files of the `mtlskit web` page, embedded at build time
 * (cmake/Embed.cmake writes web_assets.c in the build directory from
 * web/assets/). */
#ifndef MTK_WEB_ASSETS_H
#define MTK_WEB_ASSETS_H

#include <stddef.h>

typedef struct web_asset {
  const char *url;           /* "/", "/app.js", "/style.css" */
  const char *content_type;  /* from the file's extension */
  const unsigned char *data; /* the file's bytes (followed by one 0 byte) */
  size_t len;
} web_asset;

extern const web_asset web_assets[];
extern const size_t web_n_assets;

#endif
