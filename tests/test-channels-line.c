/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "rg-channel-error.h"
#include "rg-channel-tester.h"
#include "rg-fake-line.h"
#include "rg-fake-wait.h"
#include "rg-http.h"
#include "rg-line-client.h"
#include "rg-test-util.h"

#define PUSH "/v2/bot/message/push"
#define USER_A "U4af4980629aaaaaaaaaaaaaaaaaaaaaa"
#define USER_B "U4af4980629bbbbbbbbbbbbbbbbbbbbbb"

typedef struct
{
  RgFakeLine   *fake;
  RgLineClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->fake = rg_fake_line_new ();
  rg_fake_platform_start (RG_FAKE_PLATFORM (fixture->fake), &error);
  g_assert_no_error (error);

  fixture->client = rg_line_client_new (RG_FAKE_LINE_ACCESS_TOKEN);
  rg_line_client_set_base_url (fixture->client,
                               rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake)));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->fake);
}

static JsonArray *
text_messages (const char *first,
               ...)
{
  JsonArray *messages = json_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *text = first; text != NULL; text = va_arg (args, const char *))
    {
      g_autoptr(GError) error = NULL;
      JsonNode *message = rg_line_message_new_text (text, &error);

      g_assert_no_error (error);
      json_array_add_element (messages, message);
    }
  va_end (args);

  return messages;
}

static char **
push (Fixture     *fixture,
      const char  *to,
      JsonArray   *messages,
      const char  *retry_key,
      gboolean    *already_accepted,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rg_line_client_push_async (fixture->client, to, messages, retry_key, FALSE, NULL,
                             rg_fake_wait_cb, &result);
  return rg_line_client_push_finish (fixture->client, rg_fake_wait (&result), already_accepted,
                                     error);
}

static GError *
push_error (Fixture *fixture)
{
  g_autoptr(JsonArray) messages = text_messages ("Hello", NULL);
  g_auto(GStrv) ids = NULL;
  GError *error = NULL;

  ids = push (fixture, USER_A, messages, NULL, NULL, &error);
  g_assert_null (ids);
  g_assert_nonnull (error);
  return error;
}

static void
test_push_success (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JsonArray) messages = text_messages ("Your points: 120", "Thank you!", NULL);
  g_autofree char *retry_key = g_uuid_string_random ();
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  gboolean already_accepted = TRUE;
  JsonObject *object;
  JsonArray *sent;

  ids = push (fixture, USER_A, messages, retry_key, &already_accepted, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_false (already_accepted);
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake), USER_A), ==, 1);

  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->fake), PUSH);
  g_assert_nonnull (request);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpuint (request->status, ==, 200);
  g_assert_cmpstr (rg_fake_request_get_header (request, "Authorization"), ==,
                   "Bearer " RG_FAKE_LINE_ACCESS_TOKEN);
  g_assert_cmpstr (rg_fake_request_get_header (request, "Content-Type"), ==, "application/json");
  g_assert_cmpstr (rg_fake_request_get_header (request, "X-Line-Retry-Key"), ==, retry_key);
  g_assert_true (g_str_has_prefix (rg_fake_request_get_header (request, "User-Agent"), "Regulars/"));

  body = rg_fake_request_dup_json (request);
  object = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (object, "to"), ==, USER_A);
  g_assert_false (json_object_get_boolean_member (object, "notificationDisabled"));
  sent = json_object_get_array_member (object, "messages");
  g_assert_cmpuint (json_array_get_length (sent), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sent, 0), "type"), ==, "text");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sent, 0), "text"), ==,
                   "Your points: 120");
}

static void
test_push_retry_key_replay (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(JsonArray) messages = text_messages ("Once only", NULL);
  g_autofree char *retry_key = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) second = NULL;
  gboolean already_accepted = FALSE;

  first = push (fixture, USER_A, messages, retry_key, &already_accepted, &error);
  g_assert_no_error (error);
  g_assert_false (already_accepted);

  /* The same key again, as after a crash with an unknown outcome: 409 means it was sent. */
  second = push (fixture, USER_A, messages, retry_key, &already_accepted, &error);
  g_assert_no_error (error);
  g_assert_true (already_accepted);
  g_assert_cmpstrv (first, second);

  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake), PUSH), ==, 2);
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake), USER_A), ==, 1);
}

static RgHttpResponse *
raw_push (Fixture    *fixture,
          const char *retry_key)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  RgHttpResponse *response;

  message = rg_http_message_new ("POST", rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake)),
                                 PUSH, &error);
  g_assert_no_error (error);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                "Bearer " RG_FAKE_LINE_ACCESS_TOKEN);
  soup_message_headers_replace (soup_message_get_request_headers (message), "X-Line-Retry-Key",
                                retry_key);
  body = json_from_string ("{\"to\":\"" USER_B "\",\"messages\":[{\"type\":\"text\",\"text\":\"Hi\"}]}",
                           &error);
  g_assert_no_error (error);
  rg_http_message_set_json (message, body);

  rg_http_send_async (message, 0, NULL, rg_fake_wait_cb, &result);
  response = rg_http_send_finish (rg_fake_wait (&result), &error);
  g_assert_no_error (error);
  return response;
}

/* What LINE answers to a replayed retry key, seen on the wire. */
static void
test_fake_retry_key_conflict (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *retry_key = g_uuid_string_random ();
  g_autoptr(RgHttpResponse) first = NULL;
  g_autoptr(RgHttpResponse) second = NULL;
  g_autoptr(JsonNode) first_body = NULL;
  g_autoptr(JsonNode) second_body = NULL;
  g_autoptr(GError) error = NULL;
  const char *request_id;

  first = raw_push (fixture, retry_key);
  g_assert_cmpuint (first->status, ==, 200);
  request_id = soup_message_headers_get_one (first->headers, "x-line-request-id");
  g_assert_true (g_uuid_string_is_valid (request_id));

  second = raw_push (fixture, retry_key);
  g_assert_cmpuint (second->status, ==, 409);
  g_assert_cmpstr (soup_message_headers_get_one (second->headers, "x-line-accepted-request-id"), ==,
                   request_id);
  g_assert_nonnull (soup_message_headers_get_one (second->headers, "x-line-request-id"));
  g_assert_cmpstr (soup_message_headers_get_one (second->headers, "x-line-request-id"), !=, request_id);

  first_body = rg_http_response_parse_json (first, &error);
  second_body = rg_http_response_parse_json (second, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (second_body), "message"), ==,
                   "The retry key is already accepted");
  g_assert_true (json_node_equal (json_object_get_member (json_node_get_object (first_body), "sentMessages"),
                                  json_object_get_member (json_node_get_object (second_body), "sentMessages")));
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake), USER_B), ==, 1);
}

static void
test_push_retry_after_server_error (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(JsonArray) messages = text_messages ("Retried", NULL);
  g_autofree char *retry_key = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  gboolean already_accepted = TRUE;

  rg_fake_line_fail (fixture->fake, PUSH, 1, RG_FAKE_LINE_FAIL_SERVER_ERROR, -1);

  ids = push (fixture, USER_A, messages, retry_key, NULL, &error);
  g_assert_null (ids);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_SERVER);
  g_assert_true (rg_channel_error_is_retryable (error));
  g_assert_cmpint (rg_channel_error_get_retry_after (error), ==, -1);
  g_assert_cmpuint (rg_channel_error_get_http_status (error), ==, 500);
  g_assert_nonnull (rg_channel_error_get_request_id (error));
  g_clear_error (&error);

  /* A failed attempt did not use up the key. */
  ids = push (fixture, USER_A, messages, retry_key, &already_accepted, &error);
  g_assert_no_error (error);
  g_assert_false (already_accepted);
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake), USER_A), ==, 1);
}

static void
test_error_auth (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  rg_line_client_set_access_token (fixture->client, "revoked-token");
  error = push_error (fixture);

  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_AUTH);
  g_assert_false (rg_channel_error_is_retryable (error));
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "401");
  g_assert_nonnull (strstr (error->message, "Authentication failed"));
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake), USER_A), ==, 0);
}

static void
test_error_invalid_with_details (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(JsonArray) messages = json_array_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;

  /* What our checks let through but LINE refuses: a flex container that is not a bubble. */
  g_assert_true (json_parser_load_from_data (parser,
                                             "{\"type\":\"flex\",\"altText\":\"Card\","
                                             "\"contents\":{\"type\":\"box\"}}",
                                             -1, NULL));
  json_array_add_element (messages, json_node_copy (json_parser_get_root (parser)));

  ids = push (fixture, USER_A, messages, NULL, NULL, &error);
  g_assert_null (ids);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_assert_false (rg_channel_error_is_retryable (error));
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "400");
  g_assert_nonnull (strstr (error->message, "The request body has 1 error(s)"));
  g_assert_nonnull (strstr (error->message, "messages[0].contents.type: must be one of [bubble, carousel]"));
  g_clear_error (&error);

  /* LINE's canned 400 with details, as the fake programs it. */
  rg_fake_line_fail (fixture->fake, PUSH, 1, RG_FAKE_LINE_FAIL_BAD_REQUEST, -1);
  g_clear_error (&error);
  error = push_error (fixture);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "messages[0].text: May not be empty"));
  g_clear_error (&error);

  /* A malformed user ID reaches LINE and is refused there. */
  {
    g_autoptr(JsonArray) hello = text_messages ("Hello", NULL);

    ids = push (fixture, "Unot-a-user", hello, NULL, NULL, &error);
    g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
    g_assert_nonnull (strstr (error->message, "'to'"));
  }
}

static void
test_error_rate_limited (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;

  rg_fake_line_fail (fixture->fake, PUSH, 1, RG_FAKE_LINE_FAIL_RATE_LIMIT, 30);
  error = push_error (fixture);

  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_RATE_LIMITED);
  g_assert_true (rg_channel_error_is_retryable (error));
  g_assert_cmpint (rg_channel_error_get_retry_after (error), ==, 30);
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "429");
  g_assert_nonnull (strstr (error->message, RG_FAKE_LINE_RATE_LIMIT_MESSAGE));

  /* The data travels with copies (g_task_return_error, g_propagate_error, g_error_copy). */
  copy = g_error_copy (error);
  g_assert_cmpint (rg_channel_error_get_retry_after (copy), ==, 30);
  g_assert_cmpstr (rg_channel_error_get_platform_code (copy), ==, "429");
  g_assert_cmpstr (rg_channel_error_get_request_id (copy), ==, rg_channel_error_get_request_id (error));
}

static void
test_error_monthly_limit (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  rg_fake_line_fail (fixture->fake, PUSH, 1, RG_FAKE_LINE_FAIL_MONTHLY_LIMIT, -1);
  error = push_error (fixture);

  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_MONTHLY_LIMIT);
  g_assert_false (rg_channel_error_is_retryable (error));
  g_assert_cmpuint (rg_channel_error_get_http_status (error), ==, 429);
  g_assert_nonnull (strstr (error->message, RG_FAKE_LINE_MONTHLY_LIMIT_MESSAGE));
}

static void
test_error_server (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  rg_fake_platform_fail (RG_FAKE_PLATFORM (fixture->fake), NULL, 1, 503, 5);
  error = push_error (fixture);

  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_SERVER);
  g_assert_true (rg_channel_error_is_retryable (error));
  g_assert_cmpint (rg_channel_error_get_retry_after (error), ==, 5);
}

static void
test_hang_cancelled (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonArray) messages = text_messages ("Never answered", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;

  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->fake), PUSH, 1);
  rg_line_client_push_async (fixture->client, USER_A, messages, NULL, FALSE, cancellable,
                             rg_fake_wait_cb, &result);
  rg_fake_platform_wait_held (RG_FAKE_PLATFORM (fixture->fake), 1);
  g_assert_null (result);

  g_cancellable_cancel (cancellable);
  ids = rg_line_client_push_finish (fixture->client, rg_fake_wait (&result), NULL, &error);
  g_assert_null (ids);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (rg_channel_error_is_retryable (error));

  rg_fake_platform_release (RG_FAKE_PLATFORM (fixture->fake));
}

static void
test_hang_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 elapsed_ms;

  rg_line_client_set_timeout (fixture->client, 300);
  rg_fake_platform_hang (RG_FAKE_PLATFORM (fixture->fake), PUSH, 1);

  start = g_get_monotonic_time ();
  error = push_error (fixture);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_TIMEOUT);
  g_assert_true (rg_channel_error_is_retryable (error));
  g_assert_cmpint (elapsed_ms, >=, 300);
  g_assert_cmpint (elapsed_ms, <, 5000);
  g_assert_cmpuint (rg_fake_platform_get_n_held (RG_FAKE_PLATFORM (fixture->fake)), ==, 1);
}

static void
test_limits_checked_before_sending (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) emoji = g_string_new (NULL);
  g_autoptr(JsonArray) six = text_messages ("1", "2", "3", "4", "5", "6", NULL);
  g_autoptr(JsonArray) one = text_messages ("Hello", NULL);
  g_autoptr(JsonArray) empty = json_array_new ();
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append_c (text, 'a');
  node = rg_line_message_new_text (text->str, &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);

  g_string_append_c (text, 'a');
  node = rg_line_message_new_text (text->str, &error);
  g_assert_null (node);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "5001"));
  g_clear_error (&error);

  /* An emoji outside the BMP is two UTF-16 code units. */
  for (guint i = 0; i < 2500; i++)
    g_string_append (emoji, "😀");
  g_assert_cmpint (rg_line_text_length (emoji->str), ==, 5000);
  node = rg_line_message_new_text (emoji->str, &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);
  g_string_append (emoji, "😀");
  node = rg_line_message_new_text (emoji->str, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  ids = push (fixture, USER_A, six, NULL, NULL, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (rg_channel_error_get_http_status (error), ==, 0);
  g_clear_error (&error);

  ids = push (fixture, USER_A, empty, NULL, NULL, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  ids = push (fixture, USER_A, one, "not-a-uuid", NULL, &error);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "not-a-uuid"));
  g_clear_error (&error);

  for (guint i = 0; i < 501; i++)
    g_ptr_array_add (recipients, g_strdup_printf ("U%032x", i));
  g_ptr_array_add (recipients, NULL);
  rg_line_client_multicast_async (fixture->client, (const char * const *) recipients->pdata, one,
                                  NULL, FALSE, NULL, rg_fake_wait_cb, &result);
  g_assert_false (rg_line_client_multicast_finish (fixture->client, rg_fake_wait (&result), NULL,
                                                   &error));
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "501"));
  g_clear_error (&error);

  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake), NULL), ==, 0);
}

static void
test_multicast (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JsonArray) messages = text_messages ("Sale today", NULL);
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *retry_key = g_uuid_string_random ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) again = NULL;
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  gboolean already_accepted = TRUE;

  for (guint i = 0; i < 500; i++)
    g_ptr_array_add (recipients, g_strdup_printf ("U%032x", i));
  g_ptr_array_add (recipients, NULL);

  rg_line_client_multicast_async (fixture->client, (const char * const *) recipients->pdata,
                                  messages, retry_key, TRUE, NULL, rg_fake_wait_cb, &result);
  g_assert_true (rg_line_client_multicast_finish (fixture->client, rg_fake_wait (&result),
                                                  &already_accepted, &error));
  g_assert_no_error (error);
  g_assert_false (already_accepted);
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake),
                                                     g_ptr_array_index (recipients, 0)), ==, 1);
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake),
                                                     g_ptr_array_index (recipients, 499)), ==, 1);

  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->fake),
                                               "/v2/bot/message/multicast");
  body = rg_fake_request_dup_json (request);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (body),
                                                                         "to")), ==, 500);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (body), "notificationDisabled"));

  rg_line_client_multicast_async (fixture->client, (const char * const *) recipients->pdata,
                                  messages, retry_key, TRUE, NULL, rg_fake_wait_cb, &again);
  g_assert_true (rg_line_client_multicast_finish (fixture->client, rg_fake_wait (&again),
                                                  &already_accepted, &error));
  g_assert_no_error (error);
  g_assert_true (already_accepted);
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake),
                                                     g_ptr_array_index (recipients, 0)), ==, 1);
}

static void
test_pnp_hash_vectors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *japan = NULL;
  g_autofree char *taiwan = NULL;
  g_autofree char *local = NULL;

  /* PROTOCOLS.md */
  japan = rg_line_hash_phone_number ("+818000001234", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (japan, ==, "d41e0ad70dddfeb68f149ad6fc61574b9c5780ab7bcb2fba5517771ffbb2409c");
  taiwan = rg_line_hash_phone_number ("+886912345678", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (taiwan, ==, "1315ec4a63ba3d2b8f5db63688770e89a402ee623ef33e4c8c2f36e48f271be0");

  local = rg_line_hash_phone_number ("0912345678", &error);
  g_assert_null (local);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "0912345678"));
}

static gboolean
push_by_phone (Fixture     *fixture,
               const char  *phone,
               const char  *tag,
               GError     **error)
{
  g_autoptr(JsonArray) messages = text_messages ("Your order is ready", NULL);
  g_autoptr(GAsyncResult) result = NULL;

  rg_line_client_push_by_phone_async (fixture->client, phone, messages, tag, NULL,
                                      rg_fake_wait_cb, &result);
  return rg_line_client_push_by_phone_finish (fixture->client, rg_fake_wait (&result), error);
}

static void
test_pnp_push (Fixture       *fixture,
               gconstpointer  data)
{
  const char *hash = "1315ec4a63ba3d2b8f5db63688770e89a402ee623ef33e4c8c2f36e48f271be0";
  const char *tag = "step-42-0123456789";
  g_autoptr(RgFakeRequest) request = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (push_by_phone (fixture, "+886912345678", tag, &error));
  g_assert_no_error (error);

  request = rg_fake_platform_dup_last_request (RG_FAKE_PLATFORM (fixture->fake), "/bot/pnp/push");
  body = rg_fake_request_dup_json (request);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "to"), ==, hash);
  g_assert_cmpstr (rg_fake_request_get_header (request, "X-Line-Delivery-Tag"), ==, tag);
  g_assert_null (rg_fake_request_get_header (request, "X-Line-Retry-Key"));
  g_assert_cmpuint (rg_fake_platform_get_deliveries (RG_FAKE_PLATFORM (fixture->fake), hash), ==, 1);

  /* Not a LINE user, or no consent: 422. */
  rg_fake_line_set_unreachable (fixture->fake, "+886900000000");
  g_assert_false (push_by_phone (fixture, "+886900000000", NULL, &error));
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_UNDELIVERABLE);
  g_assert_false (rg_channel_error_is_retryable (error));
  g_assert_cmpstr (rg_channel_error_get_platform_code (error), ==, "422");
  g_clear_error (&error);

  /* A delivery tag must have 16 to 100 characters: refused before sending. */
  g_assert_false (push_by_phone (fixture, "+886912345678", "too-short", &error));
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake),
                                                     "/bot/pnp/push"), ==, 2);
}

static void
test_reply (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(JsonArray) messages = text_messages ("Welcome!", NULL);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;

  rg_line_client_reply_async (fixture->client, "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA", messages, FALSE,
                              NULL, rg_fake_wait_cb, &first);
  ids = rg_line_client_reply_finish (fixture->client, rg_fake_wait (&first), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_clear_pointer (&ids, g_strfreev);

  /* A reply token works once. */
  rg_line_client_reply_async (fixture->client, "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA", messages, FALSE,
                              NULL, rg_fake_wait_cb, &second);
  ids = rg_line_client_reply_finish (fixture->client, rg_fake_wait (&second), &error);
  g_assert_null (ids);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "Invalid reply token"));
}

static void
test_bot_info_and_profile (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GAsyncResult) info_result = NULL;
  g_autoptr(GAsyncResult) friend_result = NULL;
  g_autoptr(GAsyncResult) stranger_result = NULL;
  g_autoptr(RgLineBotInfo) info = NULL;
  g_autoptr(RgLineProfile) profile = NULL;
  g_autoptr(RgLineProfile) stranger = NULL;
  g_autoptr(GError) error = NULL;

  rg_line_client_get_bot_info_async (fixture->client, NULL, rg_fake_wait_cb, &info_result);
  info = rg_line_client_get_bot_info_finish (fixture->client, rg_fake_wait (&info_result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->display_name, ==, RG_FAKE_LINE_DISPLAY_NAME);
  g_assert_cmpstr (info->basic_id, ==, RG_FAKE_LINE_BASIC_ID);
  g_assert_cmpstr (info->user_id, ==, RG_FAKE_LINE_BOT_USER_ID);
  g_assert_cmpstr (info->chat_mode, ==, "chat");

  rg_fake_line_add_friend (fixture->fake, USER_A, "林小姐");
  rg_line_client_get_profile_async (fixture->client, USER_A, NULL, rg_fake_wait_cb, &friend_result);
  profile = rg_line_client_get_profile_finish (fixture->client, rg_fake_wait (&friend_result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->display_name, ==, "林小姐");
  g_assert_cmpstr (profile->user_id, ==, USER_A);

  rg_line_client_get_profile_async (fixture->client, USER_B, NULL, rg_fake_wait_cb, &stranger_result);
  stranger = rg_line_client_get_profile_finish (fixture->client, rg_fake_wait (&stranger_result), &error);
  g_assert_null (stranger);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_NOT_FOUND);
}

static void
test_flex_bubble (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonArray) messages = json_array_new ();
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  JsonNode *bubble;
  JsonObject *contents;
  JsonObject *action;

  bubble = rg_line_message_new_flex_bubble ("Your member card", "Regulars Café",
                                            "120 points", "Open my card",
                                            "https://shop.example/m/abc", &error);
  g_assert_no_error (error);
  contents = json_object_get_object_member (json_node_get_object (bubble), "contents");
  g_assert_cmpstr (json_object_get_string_member (contents, "type"), ==, "bubble");
  action = json_object_get_object_member (
             json_array_get_object_element (
               json_object_get_array_member (json_object_get_object_member (contents, "footer"),
                                             "contents"), 0),
             "action");
  g_assert_cmpstr (json_object_get_string_member (action, "type"), ==, "uri");
  g_assert_cmpstr (json_object_get_string_member (action, "uri"), ==, "https://shop.example/m/abc");
  json_array_add_element (messages, bubble);

  /* The fake applies LINE's checks: the bubble passes them. */
  ids = push (fixture, USER_A, messages, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids), ==, 1);

  bad = rg_line_message_new_flex_bubble ("Card", NULL, "Text", "Open", "javascript:alert(1)", &error);
  g_assert_null (bad);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_INVALID_REQUEST);
}

static void
test_configuration_errors (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  rg_line_client_set_base_url (fixture->client, "ftp://api.line.me");
  error = push_error (fixture);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "ftp://api.line.me"));
  g_clear_error (&error);

  rg_line_client_set_base_url (fixture->client, NULL);
  g_assert_cmpstr (rg_line_client_get_base_url (fixture->client), ==, RG_LINE_DEFAULT_BASE_URL);

  rg_line_client_set_access_token (fixture->client, NULL);
  error = push_error (fixture);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_CONFIGURATION);
  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake), NULL), ==, 0);
}

static void
test_tester (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GHashTable) config = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) ok_result = NULL;
  g_autoptr(GAsyncResult) bad_result = NULL;
  g_autoptr(GAsyncResult) missing_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  g_hash_table_insert (config, (char *) "base-url",
                       (char *) rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fixture->fake)));
  g_hash_table_insert (config, (char *) "channel-id", (char *) "1657000000");
  g_hash_table_insert (config, (char *) "channel-access-token", (char *) RG_FAKE_LINE_ACCESS_TOKEN);

  rg_channel_test_connection_async (RG_CHANNEL_KIND_LINE, config, NULL, rg_fake_wait_cb, &ok_result);
  g_assert_true (rg_channel_test_connection_finish (rg_fake_wait (&ok_result), &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (summary, ==, "Connected to “" RG_FAKE_LINE_DISPLAY_NAME "” (" RG_FAKE_LINE_BASIC_ID ")");
  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fixture->fake), "/v2/bot/info"), ==, 1);
  g_clear_pointer (&summary, g_free);

  g_hash_table_insert (config, (char *) "channel-access-token", (char *) "wrong");
  rg_channel_test_connection_async (RG_CHANNEL_KIND_LINE, config, NULL, rg_fake_wait_cb, &bad_result);
  g_assert_false (rg_channel_test_connection_finish (rg_fake_wait (&bad_result), &summary, &error));
  g_assert_null (summary);
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "Authentication failed"));
  g_clear_error (&error);

  g_hash_table_remove (config, "channel-access-token");
  rg_channel_test_connection_async (RG_CHANNEL_KIND_LINE, config, NULL, rg_fake_wait_cb, &missing_result);
  g_assert_false (rg_channel_test_connection_finish (rg_fake_wait (&missing_result), NULL, &error));
  g_assert_error (error, RG_CHANNEL_ERROR, RG_CHANNEL_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "channel-access-token"));
}

static void
test_fake_in_thread (void)
{
  g_autoptr(RgFakeLine) fake = rg_fake_line_new ();
  g_autoptr(RgLineClient) client = rg_line_client_new (RG_FAKE_LINE_ACCESS_TOKEN);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RgLineBotInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (rg_fake_platform_start_in_thread (RG_FAKE_PLATFORM (fake), &error));
  g_assert_no_error (error);
  rg_line_client_set_base_url (client, rg_fake_platform_get_base_url (RG_FAKE_PLATFORM (fake)));

  rg_line_client_get_bot_info_async (client, NULL, rg_fake_wait_cb, &result);
  info = rg_line_client_get_bot_info_finish (client, rg_fake_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->basic_id, ==, RG_FAKE_LINE_BASIC_ID);
  g_assert_cmpuint (rg_fake_platform_count_requests (RG_FAKE_PLATFORM (fake), "/v2/bot/info"), ==, 1);
}

/* The YAML block of @name under components/schemas (or paths): its lines up to the next sibling. */
static char *
spec_block (const char *spec,
            const char *header,
            guint       indent)
{
  const char *start = strstr (spec, header);
  const char *end;

  if (start == NULL)
    return NULL;

  for (end = strchr (start, '\n'); end != NULL; end = strchr (end + 1, '\n'))
    {
      guint spaces = strspn (end + 1, " ");

      if (end[1] != '\n' && end[1 + spaces] != '#' && spaces <= indent && end[1 + spaces] != '\0')
        break;
    }

  return end != NULL ? g_strndup (start, end - start) : g_strdup (start);
}

static void
test_requests_match_spec (void)
{
  g_autofree char *path = rg_test_shared_path ("specs/line/messaging-api.yml");
  g_autofree char *spec = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { "\"/v2/bot/message/push\":", "\"/v2/bot/message/reply\":",
                          "\"/v2/bot/message/multicast\":", "\"/bot/pnp/push\":",
                          "\"/v2/bot/info\":", "\"/v2/bot/profile/{userId}\":" };
  struct {
    const char *schema;
    const char *properties[4];
  } schemas[] = {
    { "    PushMessageRequest:\n", { "        to:", "        messages:", "        notificationDisabled:", NULL } },
    { "    ReplyMessageRequest:\n", { "        replyToken:", "        messages:", "        notificationDisabled:", NULL } },
    { "    MulticastRequest:\n", { "        to:", "        messages:", "        notificationDisabled:", NULL } },
    { "    PnpMessagesRequest:\n", { "        to:", "        messages:", NULL } },
  };

  if (path == NULL)
    {
      g_test_skip ("shared/specs/line/messaging-api.yml is not beside this clone (a fresh clone "
                   "has no shared/ folder); the request shapes are checked in CI");
      return;
    }

  g_file_get_contents (path, &spec, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    g_assert_nonnull (strstr (spec, paths[i]));

  /* Every member our client sends is a property of the request schema. */
  for (guint i = 0; i < G_N_ELEMENTS (schemas); i++)
    {
      g_autofree char *block = spec_block (spec, schemas[i].schema, 4);

      g_assert_nonnull (block);
      for (guint j = 0; schemas[i].properties[j] != NULL; j++)
        g_assert_nonnull (strstr (block, schemas[i].properties[j]));
      /* 1 to 5 messages in every sending request. */
      g_assert_nonnull (strstr (block, "maxItems: 5"));
    }

  /* Our limits are the spec's. */
  {
    g_autofree char *multicast = spec_block (spec, "    MulticastRequest:\n", 4);
    g_autofree char *pnp = spec_block (spec, "  \"/bot/pnp/push\":\n", 2);
    g_autofree char *push_path = spec_block (spec, "  \"/v2/bot/message/push\":\n", 2);
    g_autofree char *reply_path = spec_block (spec, "  \"/v2/bot/message/reply\":\n", 2);
    g_autofree char *bot_info = spec_block (spec, "    BotInfoResponse:\n", 4);

    g_assert_nonnull (strstr (multicast, "maxItems: 500"));
    g_assert_nonnull (strstr (pnp, "X-Line-Delivery-Tag"));
    g_assert_nonnull (strstr (pnp, "minLength: 16"));
    g_assert_nonnull (strstr (pnp, "maxLength: 100"));
    g_assert_nonnull (strstr (pnp, "\"422\":"));
    g_assert_nonnull (strstr (push_path, "X-Line-Retry-Key"));
    g_assert_nonnull (strstr (push_path, "\"409\":"));
    g_assert_null (strstr (reply_path, "X-Line-Retry-Key"));
    g_assert_nonnull (strstr (bot_info, "basicId"));
    g_assert_nonnull (strstr (bot_info, "displayName"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/regulars/channels/line/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("push/success", test_push_success);
  ADD ("push/retry-key-replay", test_push_retry_key_replay);
  ADD ("push/retry-key-conflict-on-the-wire", test_fake_retry_key_conflict);
  ADD ("push/retry-after-server-error", test_push_retry_after_server_error);
  ADD ("errors/auth", test_error_auth);
  ADD ("errors/invalid-with-details", test_error_invalid_with_details);
  ADD ("errors/rate-limited", test_error_rate_limited);
  ADD ("errors/monthly-limit", test_error_monthly_limit);
  ADD ("errors/server", test_error_server);
  ADD ("errors/configuration", test_configuration_errors);
  ADD ("hang/cancelled", test_hang_cancelled);
  ADD ("hang/timeout", test_hang_timeout);
  ADD ("limits", test_limits_checked_before_sending);
  ADD ("multicast", test_multicast);
  ADD ("pnp/push", test_pnp_push);
  ADD ("reply", test_reply);
  ADD ("bot-info-and-profile", test_bot_info_and_profile);
  ADD ("flex-bubble", test_flex_bubble);
  ADD ("tester", test_tester);
  g_test_add_func ("/regulars/channels/line/pnp/hash-vectors", test_pnp_hash_vectors);
  g_test_add_func ("/regulars/channels/line/fake-in-thread", test_fake_in_thread);
  g_test_add_func ("/regulars/channels/line/spec", test_requests_match_spec);

#undef ADD

  return g_test_run ();
}
