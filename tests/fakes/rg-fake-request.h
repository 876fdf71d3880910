/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/**
 * RgFakeRequest:
 * @method: "GET", "POST"…
 * @path: the path below the fake's prefix, e.g. "/v2/bot/message/push"
 * @query: (nullable): the raw query string, without '?'
 * @headers: the request headers
 * @body: the request body (possibly empty)
 * @status: the status the fake answered, 0 while the request is held
 *
 * One request a fake received, recorded for assertions.
 */
typedef struct
{
  char               *method;
  char               *path;
  char               *query;
  SoupMessageHeaders *headers;
  GBytes             *body;
  guint               status;

  /*< private >*/
  gatomicrefcount     ref_count;
} RgFakeRequest;

#define RG_TYPE_FAKE_REQUEST (rg_fake_request_get_type ())

GType          rg_fake_request_get_type      (void) G_GNUC_CONST;
RgFakeRequest *rg_fake_request_new           (const char    *method,
                                              const char    *path,
                                              const char    *query,
                                              SoupMessageHeaders *headers,
                                              GBytes        *body);
RgFakeRequest *rg_fake_request_ref           (RgFakeRequest *request);
void           rg_fake_request_unref         (RgFakeRequest *request);
const char    *rg_fake_request_get_header    (RgFakeRequest *request,
                                              const char    *name);
char          *rg_fake_request_dup_body_text (RgFakeRequest *request);
JsonNode      *rg_fake_request_dup_json      (RgFakeRequest *request);
GHashTable    *rg_fake_request_dup_form      (RgFakeRequest *request);
GHashTable    *rg_fake_request_dup_query     (RgFakeRequest *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RgFakeRequest, rg_fake_request_unref)

G_END_DECLS
