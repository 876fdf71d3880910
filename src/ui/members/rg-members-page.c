/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-members-page"

#include "config.h"

#include <glib/gi18n.h>

#include "rg-member-adjust-dialog.h"
#include "rg-member-editor.h"
#include "rg-member-export-dialog.h"
#include "rg-member-format.h"
#include "rg-member-import-dialog.h"
#include "rg-members-page-private.h"
#include "rg-reload-splitter.h"
#include "rg-save-changes-dialog.h"
#include "rg-saveable.h"
#include "rg-window.h"

typedef struct
{
  RgMembersPage       *self;
  GtkColumnViewColumn *column;
  RgMemberSortKey      key;
} SortProbe;

struct _RgMembersPage
{
  GtkWidget            parent_instance;

  RgStore             *store;
  RgMemberStore       *member_store;
  RgMemberList        *list;
  RgReloadSplitter    *splitter;
  AdwToast            *undo_toast;

  GtkWidget           *toolbar;
  GtkWidget           *toolbar_separator;
  GtkSearchEntry      *search_entry;
  GtkLabel            *count_label;
  AdwFlap             *flap;
  GtkStack            *state_stack;
  GtkColumnView       *column_view;
  GtkSingleSelection  *selection;
  AdwStatusPage       *no_results_page;
  RgMemberEditor      *editor;
  GtkColumnViewColumn *number_column;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *points_column;
  GtkColumnViewColumn *stored_value_column;
  GtkColumnViewColumn *line_column;
  GtkColumnViewColumn *created_column;

  /* Which column's sorter the column view asked first; see on_sorter_changed(). */
  SortProbe            probes[RG_MEMBER_SORT_STORED_VALUE + 1];
  int                  probed_key;

  guint                selecting : 1;
  guint                resorting : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static void saveable_iface_init (RgSaveableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RgMembersPage, rg_members_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (RG_TYPE_SAVEABLE, saveable_iface_init))

static GParamSpec *properties[N_PROPS];

static char *
format_points (GtkListItem *item,
               gint64       points)
{
  return rg_format_integer (points);
}

static char *
format_stored_value (GtkListItem *item,
                     gint64       stored_value)
{
  return rg_format_money (stored_value, rg_format_get_shop_currency ());
}

static char *
format_date (GtkListItem *item,
             gint64       created_at)
{
  return rg_format_date (created_at);
}

/* A check for a friend of the shop's official account, a dash for a LINE user who is not (a
 * tooltip would cost a tooltip query for every row bound). */
static char *
line_icon_name (GtkListItem *item,
                const char  *line_user_id,
                gboolean     line_friend)
{
  if (line_user_id == NULL)
    return NULL;
  return g_strdup (line_friend ? "emblem-ok-symbolic" : "list-remove-symbolic");
}

static GtkWindow *
get_parent_window (RgMembersPage *self)
{
  return rg_widget_get_parent_window (GTK_WIDGET (self));
}

static void
add_toast (RgMembersPage *self,
           AdwToast      *toast)
{
  rg_widget_add_toast (GTK_WIDGET (self), g_object_ref (toast));
}

static void
show_error_dialog (RgMembersPage *self,
                   const char    *heading,
                   const GError  *error)
{
  rg_widget_show_error (GTK_WIDGET (self), heading, error);
}

static gboolean
is_searching (RgMembersPage *self)
{
  const char *search = self->list != NULL ? rg_member_list_get_search (self->list) : NULL;

  for (const char *p = search; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return TRUE;
    }
  return FALSE;
}

static void
update_state (RgMembersPage *self)
{
  g_autofree char *count = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total = 0;
  guint n_items = 0;
  gboolean searching = is_searching (self);
  const char *state;

  if (self->member_store != NULL && !rg_member_store_count (self->member_store, &total, &error))
    g_warning ("Could not count the members: %s", error->message);
  if (self->list != NULL)
    n_items = g_list_model_get_n_items (G_LIST_MODEL (self->list));

  count = rg_format_member_count (searching ? n_items : total, searching);
  gtk_label_set_text (self->count_label, count);

  if (total == 0 && !searching)
    state = "empty";
  else if (n_items == 0)
    state = "no-results";
  else
    state = "list";

  if (g_str_equal (state, "no-results"))
    {
      g_autofree char *search = g_markup_escape_text (rg_member_list_get_search (self->list), -1);
      g_autofree char *description =
        g_strdup_printf (_("No member matches “%s”. Search for part of a name, a phone number, "
                           "an email address or a member number."),
                         search);
      adw_status_page_set_description (self->no_results_page, description);
    }

  gtk_stack_set_visible_child_name (self->state_stack, state);
  gtk_widget_set_visible (self->toolbar, !g_str_equal (state, "empty"));
  gtk_widget_set_visible (self->toolbar_separator, !g_str_equal (state, "empty"));
}

static void
update_actions (RgMembersPage *self)
{
  gboolean has_store = self->member_store != NULL;
  gboolean stored = rg_member_editor_get_member (self->editor) != NULL;
  gboolean is_new = rg_member_editor_get_is_new (self->editor);
  gboolean dirty = rg_member_editor_get_dirty (self->editor);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "members.add", has_store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "members.import", has_store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "members.export", has_store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "members.save", is_new || (stored && dirty));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "members.delete", stored && !is_new);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "members.adjust", stored && !is_new);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "members.close", stored || is_new);
}

static void
close_editor (RgMembersPage *self)
{
  self->selecting = TRUE;
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  self->selecting = FALSE;

  rg_member_editor_set_member (self->editor, NULL);
  adw_flap_set_reveal_flap (self->flap, FALSE);
  update_actions (self);
}

static void
open_editor (RgMembersPage *self)
{
  adw_flap_set_reveal_flap (self->flap, TRUE);
  update_actions (self);
}

/* Where the pane goes once its unsaved edits are saved or discarded. */
typedef enum
{
  LEAVE_TO_MEMBER,
  LEAVE_TO_NEW_MEMBER,
  LEAVE_TO_CLOSED,
} LeaveTarget;

typedef struct
{
  RgMembersPage *self;
  LeaveTarget    target;
  RgMember      *member;
} Leave;

static void
leave_free (gpointer  data,
            GClosure *closure)
{
  Leave *leave = data;

  g_clear_object (&leave->self);
  g_clear_object (&leave->member);
  g_free (leave);
}

static void
start_new_member (RgMembersPage *self)
{
  self->selecting = TRUE;
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  self->selecting = FALSE;

  rg_member_editor_new_member (self->editor);
  open_editor (self);
  rg_member_editor_focus_first (self->editor);
}

static void
finish_leave (RgMembersPage *self,
              LeaveTarget    target,
              RgMember      *member)
{
  switch (target)
    {
    case LEAVE_TO_MEMBER:
      rg_member_editor_set_member (self->editor, member);
      open_editor (self);
      break;

    case LEAVE_TO_NEW_MEMBER:
      start_new_member (self);
      break;

    case LEAVE_TO_CLOSED:
      close_editor (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
      break;

    default:
      g_assert_not_reached ();
    }
}

/* The list shows the member whose edits are still in the pane. */
static void
restore_selection (RgMembersPage *self)
{
  RgMember *shown = rg_member_editor_get_member (self->editor);
  guint position;

  self->selecting = TRUE;
  if (shown != NULL && self->list != NULL &&
      rg_member_list_find_position (self->list, rg_member_get_id (shown), &position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  else
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  self->selecting = FALSE;
}

static void
on_leave_response (AdwMessageDialog *dialog,
                   const char       *response,
                   Leave            *leave)
{
  RgMembersPage *self = leave->self;

  /* A refused save shows its message next to the field and keeps the member open. */
  if (g_str_equal (response, "cancel") ||
      (g_str_equal (response, "save") && !rg_member_editor_save (self->editor)))
    {
      restore_selection (self);
      return;
    }

  finish_leave (self, leave->target, leave->member);
}

/* The stored name: what the list shows for the member being edited. */
static const char *
get_shown_name (RgMembersPage *self)
{
  RgMember *shown = rg_member_editor_get_member (self->editor);
  const char *name = shown != NULL ? rg_member_get_name (shown) : NULL;

  return name != NULL && name[0] != '\0' ? name : NULL;
}

/* Edits are never dropped silently: moving away from a changed member asks first. */
static void
leave_editor (RgMembersPage *self,
              LeaveTarget    target,
              RgMember      *member)
{
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  const char *name;
  Leave *leave;

  if (!rg_member_editor_get_dirty (self->editor))
    {
      finish_leave (self, target, member);
      return;
    }

  if ((name = get_shown_name (self)) != NULL)
    body = g_strdup_printf (_("The changes to “%s” are not saved yet."), name);
  else
    body = g_strdup (_("The new member is not saved yet."));
  dialog = rg_save_changes_dialog_new (get_parent_window (self), body);

  leave = g_new0 (Leave, 1);
  leave->self = g_object_ref (self);
  leave->target = target;
  leave->member = member != NULL ? g_object_ref (member) : NULL;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_leave_response), leave, leave_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_selected_item_changed (RgMembersPage      *self,
                          GParamSpec         *pspec,
                          GtkSingleSelection *selection)
{
  RgMember *member = gtk_single_selection_get_selected_item (selection);

  if (self->selecting)
    return;

  /* A reload of the list (a new search) drops the selection; the pane keeps its member. */
  if (member == NULL)
    return;

  leave_editor (self, LEAVE_TO_MEMBER, member);
}

static void
on_row_activated (RgMembersPage *self,
                  guint          position,
                  GtkColumnView *column_view)
{
  g_autoptr(RgMember) member = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (member == NULL)
    return;

  if (rg_member_editor_get_member (self->editor) == NULL ||
      rg_member_get_id (rg_member_editor_get_member (self->editor)) != rg_member_get_id (member))
    {
      leave_editor (self, LEAVE_TO_MEMBER, member);
      return;
    }
  open_editor (self);
  rg_member_editor_focus_first (self->editor);
}

static void
on_reveal_flap_changed (RgMembersPage *self,
                        GParamSpec    *pspec,
                        AdwFlap       *flap)
{
  gboolean revealed = adw_flap_get_reveal_flap (flap);

  /* The template is going away. */
  if (self->editor == NULL || self->line_column == NULL)
    return;

  /* Next to the pane the list keeps the columns that tell members apart. */
  gtk_column_view_column_set_visible (self->stored_value_column, !revealed);
  gtk_column_view_column_set_visible (self->line_column, !revealed);
  gtk_column_view_column_set_visible (self->created_column, !revealed);

  /* A folded flap closes when clicked outside; the pane then shows nothing. Edits are
   * asked about first, as on every other way out of the pane. */
  if (!revealed &&
      (rg_member_editor_get_member (self->editor) != NULL ||
       rg_member_editor_get_is_new (self->editor)))
    {
      if (rg_member_editor_get_dirty (self->editor))
        {
          adw_flap_set_reveal_flap (flap, TRUE);
          leave_editor (self, LEAVE_TO_CLOSED, NULL);
        }
      else
        close_editor (self);
    }
}

static void
on_search_changed (RgMembersPage  *self,
                   GtkSearchEntry *entry)
{
  if (self->list == NULL)
    return;

  rg_member_list_set_search (self->list, gtk_editable_get_text (GTK_EDITABLE (entry)));
  update_state (self);
}

static void
on_stop_search (RgMembersPage  *self,
                GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  /* Right away rather than after the typing delay: Escape is not typing. */
  on_search_changed (self, entry);
}

static void
on_search_activate (RgMembersPage  *self,
                    GtkSearchEntry *entry)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0)
    return;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), 0, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static int
probe_sort (gconstpointer a,
            gconstpointer b,
            gpointer      user_data)
{
  SortProbe *probe = user_data;

  probe->self->probed_key = probe->key;
  return GTK_ORDERING_SMALLER;
}

/* GTK 4.8 has no API to read the column view's sort column (4.10 added one). Each sortable
 * column carries a custom sorter that reports itself and says "smaller": comparing two
 * objects with the column view's sorter reaches the primary column first, and the view
 * inverts the answer when that column sorts descending. */
static void
on_sorter_changed (RgMembersPage   *self,
                   GtkSorterChange  change,
                   GtkSorter       *sorter)
{
  GtkOrdering order;
  RgMemberSortKey key = RG_MEMBER_SORT_NAME;
  gboolean descending = FALSE;

  /* Nothing to sort before the store arrives, nor while the template goes away. */
  if (self->list == NULL || self->selection == NULL)
    return;

  if (self->resorting)
    return;

  self->probed_key = -1;
  order = gtk_sorter_compare (sorter, G_OBJECT (self), G_OBJECT (self->selection));
  if (self->probed_key >= 0)
    {
      key = self->probed_key;
      descending = order == GTK_ORDERING_LARGER;

      /* The view keeps earlier columns as secondary keys, and GTK 4.8 leaves their arrows
       * up; the list sorts by one column (then by id). Setting a column's sorter again takes
       * it out of the view's sort and redraws its header. */
      self->resorting = TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (self->probes); i++)
        {
          GtkColumnViewColumn *column = self->probes[i].column;
          g_autoptr(GtkSorter) carrier = NULL;

          if (i == key)
            continue;
          carrier = g_object_ref (gtk_column_view_column_get_sorter (column));
          gtk_column_view_column_set_sorter (column, NULL);
          gtk_column_view_column_set_sorter (column, carrier);
        }
      self->resorting = FALSE;
    }

  if (key == rg_member_list_get_sort_key (self->list) &&
      descending == rg_member_list_get_sort_descending (self->list))
    return;

  /* Each setter reloads the list; detached, the view rebuilds its rows once for both. */
  rg_reload_splitter_set_model (self->splitter, NULL);
  rg_member_list_set_sort_key (self->list, key);
  rg_member_list_set_sort_descending (self->list, descending);
  rg_reload_splitter_set_model (self->splitter, G_LIST_MODEL (self->list));
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_VIEW (child))
        return child;
    }
  return NULL;
}

static void
select_position (RgMembersPage *self,
                 guint          position)
{
  GtkWidget *list_view;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);

  /* gtk_column_view_scroll_to() is GTK 4.12; the list view inside has this action since 4.0. */
  if ((list_view = find_list_view (GTK_WIDGET (self->column_view))) != NULL)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);
}

static void
on_editor_saved (RgMembersPage  *self,
                 gint64          member_id,
                 gboolean        was_new,
                 RgMemberEditor *editor)
{
  guint position;

  /* An edit may move the row (a new name in a list sorted by name): follow it, but do not
   * clear a search for it. */
  if (!was_new)
    {
      if (rg_member_list_find_position (self->list, member_id, &position))
        select_position (self, position);
      return;
    }

  rg_members_page_show_member (self, member_id);

  {
    RgMember *member = rg_member_editor_get_member (self->editor);
    g_autofree char *name = g_markup_escape_text (member != NULL ? rg_member_get_name (member) : "", -1);
    /* Translators: a toast after adding a member, “Added “陳怡君”” */
    g_autoptr(AdwToast) toast = adw_toast_new_format (_("Added “%s”"), name);

    add_toast (self, toast);
  }
}

static void
on_list_items_changed (RgMembersPage *self,
                       guint          position,
                       guint          removed,
                       guint          added,
                       GListModel    *list)
{
  update_state (self);
}

static void
on_members_changed (RgMembersPage *self)
{
  update_state (self);
}

static void
on_member_removed (RgMembersPage *self,
                   gint64         member_id,
                   RgMemberStore *store)
{
  RgMember *shown = rg_member_editor_get_member (self->editor);

  if (shown != NULL && rg_member_get_id (shown) == member_id)
    close_editor (self);
  update_state (self);
}

static void
undo_delete (RgMembersPage *self,
             AdwToast      *toast)
{
  gint64 member_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "member-id"));
  g_autoptr(GError) error = NULL;

  if (self->member_store == NULL)
    return;

  if (!rg_member_store_restore (self->member_store, member_id, &error))
    {
      g_autofree char *message = g_markup_escape_text (error->message, -1);
      g_autoptr(AdwToast) failed = NULL;

      g_warning ("Could not restore member %" G_GINT64_FORMAT ": %s", member_id, error->message);
      failed = adw_toast_new (message);
      adw_toast_set_priority (failed, ADW_TOAST_PRIORITY_HIGH);
      add_toast (self, failed);
      return;
    }

  rg_members_page_show_member (self, member_id);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  RgMembersPage *self = RG_MEMBERS_PAGE (widget);

  if (self->member_store == NULL)
    return;

  leave_editor (self, LEAVE_TO_NEW_MEMBER, NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RgMembersPage *self = RG_MEMBERS_PAGE (widget);

  rg_member_editor_save (self->editor);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RgMembersPage *self = RG_MEMBERS_PAGE (widget);
  RgMember *member = rg_member_editor_get_member (self->editor);
  g_autoptr(AdwToast) toast = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gint64 member_id;

  if (member == NULL || self->member_store == NULL)
    return;

  member_id = rg_member_get_id (member);
  /* Toast titles are markup. */
  name = g_markup_escape_text (rg_member_get_name (member), -1);

  if (!rg_member_store_delete (self->member_store, member_id, &error))
    {
      show_error_dialog (self, _("Could Not Delete the Member"), error);
      return;
    }

  /* member-removed closed the pane already. */
  close_editor (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));

  /* Translators: a toast after deleting a member, “Deleted “陳怡君”” */
  toast = adw_toast_new_format (_("Deleted “%s”"), name);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data (G_OBJECT (toast), "member-id", GSIZE_TO_POINTER (member_id));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_delete), self,
                           G_CONNECT_SWAPPED);
  g_set_object (&self->undo_toast, toast);
  add_toast (self, toast);
}

static void
on_adjust_applied (RgMembersPage *self)
{
  g_autoptr(AdwToast) toast = adw_toast_new (_("Balances updated"));

  add_toast (self, toast);
}

static void
adjust_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RgMembersPage *self = RG_MEMBERS_PAGE (widget);
  RgMember *member = rg_member_editor_get_member (self->editor);
  GtkWindow *dialog;

  if (member == NULL || self->member_store == NULL)
    return;

  dialog = rg_member_adjust_dialog_new (get_parent_window (self), self->member_store,
                                        rg_member_get_id (member));
  g_signal_connect_object (dialog, "applied", G_CALLBACK (on_adjust_applied), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (dialog);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RgMembersPage *self = RG_MEMBERS_PAGE (widget);

  leave_editor (self, LEAVE_TO_CLOSED, NULL);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RgMembersPage *self = RG_MEMBERS_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
clear_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RgMembersPage *self = RG_MEMBERS_PAGE (widget);

  on_stop_search (self, self->search_entry);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RgMembersPage *self = RG_MEMBERS_PAGE (widget);

  if (self->store == NULL)
    return;

  gtk_window_present (rg_member_import_dialog_new (get_parent_window (self), self->store));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RgMembersPage *self = RG_MEMBERS_PAGE (widget);

  if (self->store == NULL)
    return;

  gtk_window_present (rg_member_export_dialog_new (get_parent_window (self), self->store,
                                                   is_searching (self)
                                                   ? rg_member_list_get_search (self->list)
                                                   : NULL));
}

static char **
rg_members_page_dup_unsaved (RgSaveable *saveable)
{
  RgMembersPage *self = RG_MEMBERS_PAGE (saveable);
  const char *name = get_shown_name (self);
  char **unsaved;

  if (!rg_member_editor_get_dirty (self->editor))
    return NULL;

  unsaved = g_new0 (char *, 2);
  if (name != NULL)
    /* Translators: part of a sentence, “The LINE card design and member “王小明” have unsaved
     * changes.” */
    unsaved[0] = g_strdup_printf (_("member “%s”"), name);
  else
    /* Translators: part of a sentence, “The new member has unsaved changes.” */
    unsaved[0] = g_strdup (_("the new member"));
  return unsaved;
}

static void
rg_members_page_save_async (RgSaveable          *saveable,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  RgMembersPage *self = RG_MEMBERS_PAGE (saveable);
  g_autoptr(GTask) task = NULL;
  const char *name = get_shown_name (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rg_members_page_save_async);

  if (!rg_member_editor_get_dirty (self->editor))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The pane in view: a refused field gets its message and the focus there. */
  open_editor (self);
  if (!rg_member_editor_save (self->editor))
    {
      if (name != NULL)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 _("The changes to “%s” were not saved; the member pane says "
                                   "why"),
                                 name);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 _("The new member was not saved; the member pane says why"));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
saveable_iface_init (RgSaveableInterface *iface)
{
  iface->dup_unsaved = rg_members_page_dup_unsaved;
  iface->save_async = rg_members_page_save_async;
}

static void
rg_members_page_dispose (GObject *object)
{
  RgMembersPage *self = (RgMembersPage *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), RG_TYPE_MEMBERS_PAGE);
  /* dispose_template() leaves the unnamed top box of the template. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->undo_toast);
  g_clear_object (&self->splitter);
  g_clear_object (&self->list);
  g_clear_object (&self->member_store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rg_members_page_parent_class)->dispose (object);
}

static void
rg_members_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RgMembersPage *self = RG_MEMBERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_members_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  RgMembersPage *self = RG_MEMBERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      rg_members_page_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_members_page_class_init (RgMembersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rg_members_page_dispose;
  object_class->get_property = rg_members_page_get_property;
  object_class->set_property = rg_members_page_set_property;

  /**
   * RgMembersPage:store:
   * The database; the window gives it to every page that has this property.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         RG_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RG_TYPE_MEMBER);
  g_type_ensure (RG_TYPE_MEMBER_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rg-members-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, toolbar_separator);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, flap);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, selection);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, editor);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, number_column);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, name_column);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, points_column);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, stored_value_column);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, line_column);
  gtk_widget_class_bind_template_child (widget_class, RgMembersPage, created_column);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_item_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_reveal_flap_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_saved);
  gtk_widget_class_bind_template_callback (widget_class, update_actions);
  gtk_widget_class_bind_template_callback (widget_class, format_points);
  gtk_widget_class_bind_template_callback (widget_class, format_stored_value);
  gtk_widget_class_bind_template_callback (widget_class, format_date);
  gtk_widget_class_bind_template_callback (widget_class, line_icon_name);

  gtk_widget_class_install_action (widget_class, "members.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "members.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "members.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "members.adjust", NULL, adjust_action);
  gtk_widget_class_install_action (widget_class, "members.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "members.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "members.clear-search", NULL, clear_search_action);
  gtk_widget_class_install_action (widget_class, "members.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "members.export", NULL, export_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "members.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "members.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "members.search", NULL);
}

static void
rg_members_page_init (RgMembersPage *self)
{
  GtkColumnViewColumn *columns[G_N_ELEMENTS (self->probes)];

  gtk_widget_init_template (GTK_WIDGET (self));

  columns[RG_MEMBER_SORT_NAME] = self->name_column;
  columns[RG_MEMBER_SORT_MEMBER_NUMBER] = self->number_column;
  columns[RG_MEMBER_SORT_CREATED] = self->created_column;
  columns[RG_MEMBER_SORT_POINTS_BALANCE] = self->points_column;
  columns[RG_MEMBER_SORT_STORED_VALUE] = self->stored_value_column;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkSorter *sorter = gtk_column_view_column_get_sorter (columns[i]);

      self->probes[i].self = self;
      self->probes[i].column = columns[i];
      self->probes[i].key = i;
      gtk_custom_sorter_set_sort_func (GTK_CUSTOM_SORTER (sorter), probe_sort, &self->probes[i], NULL);
    }

  /* The list goes through a splitter: see rg-reload-splitter.c for why. */
  self->splitter = rg_reload_splitter_new (NULL);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->splitter));

  /* Typing while the list has the focus searches, as in Files and Settings. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->column_view));

  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed), self, G_CONNECT_SWAPPED);
  gtk_column_view_sort_by_column (self->column_view, self->name_column, GTK_SORT_ASCENDING);

  update_state (self);
  update_actions (self);
}

GtkWidget *
rg_members_page_new (void)
{
  return g_object_new (RG_TYPE_MEMBERS_PAGE, NULL);
}

RgStore *
rg_members_page_get_store (RgMembersPage *self)
{
  g_return_val_if_fail (RG_IS_MEMBERS_PAGE (self), NULL);

  return self->store;
}

/**
 * rg_members_page_set_store:
 * @store: (nullable): the database
 *
 * Lists the members of @store, sorted by the column view's sort column.
 */
void
rg_members_page_set_store (RgMembersPage *self,
                           RgStore       *store)
{
  g_return_if_fail (RG_IS_MEMBERS_PAGE (self));
  g_return_if_fail (store == NULL || RG_IS_STORE (store));

  if (self->store == store)
    return;

  close_editor (self);
  rg_reload_splitter_set_model (self->splitter, NULL);
  rg_member_editor_set_member_store (self->editor, NULL);
  if (self->member_store != NULL)
    g_signal_handlers_disconnect_by_data (self->member_store, self);
  g_clear_object (&self->list);
  g_clear_object (&self->member_store);
  g_set_object (&self->store, store);

  if (store != NULL)
    {
      self->member_store = rg_member_store_new (store);
      self->list = rg_member_list_new (self->member_store);

      g_signal_connect_object (self->list, "items-changed",
                               G_CALLBACK (on_list_items_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->member_store, "member-added",
                               G_CALLBACK (on_members_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->member_store, "member-removed",
                               G_CALLBACK (on_member_removed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->member_store, "members-changed",
                               G_CALLBACK (on_members_changed), self, G_CONNECT_SWAPPED);

      rg_member_list_set_search (self->list, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      on_sorter_changed (self, GTK_SORTER_CHANGE_DIFFERENT,
                         gtk_column_view_get_sorter (self->column_view));
      rg_member_editor_set_member_store (self->editor, self->member_store);
      rg_reload_splitter_set_model (self->splitter, G_LIST_MODEL (self->list));
    }

  update_state (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * rg_members_page_get_list:
 *
 * Returns: (transfer none) (nullable): the listed members, in the order shown
 */
RgMemberList *
rg_members_page_get_list (RgMembersPage *self)
{
  g_return_val_if_fail (RG_IS_MEMBERS_PAGE (self), NULL);

  return self->list;
}

/**
 * rg_members_page_show_member:
 *
 * Selects the member, scrolls to it and opens it in the pane. A search that hides the
 * member is cleared first.
 */
void
rg_members_page_show_member (RgMembersPage *self,
                             gint64         member_id)
{
  guint position;

  g_return_if_fail (RG_IS_MEMBERS_PAGE (self));

  if (self->list == NULL)
    return;

  if (!rg_member_list_find_position (self->list, member_id, &position))
    {
      if (!is_searching (self))
        return;
      on_stop_search (self, self->search_entry);
      if (!rg_member_list_find_position (self->list, member_id, &position))
        return;
    }

  select_position (self, position);
}

GtkSearchEntry *
_rg_members_page_get_search_entry (RgMembersPage *self)
{
  return self->search_entry;
}

GtkColumnView *
_rg_members_page_get_column_view (RgMembersPage *self)
{
  return self->column_view;
}

GtkLabel *
_rg_members_page_get_count_label (RgMembersPage *self)
{
  return self->count_label;
}

RgMemberEditor *
_rg_members_page_get_editor (RgMembersPage *self)
{
  return self->editor;
}

const char *
_rg_members_page_get_state (RgMembersPage *self)
{
  return gtk_stack_get_visible_child_name (self->state_stack);
}

AdwToast *
_rg_members_page_get_undo_toast (RgMembersPage *self)
{
  return self->undo_toast;
}
