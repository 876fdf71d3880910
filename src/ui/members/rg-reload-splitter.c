/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rg-members-page"

#include "config.h"

#include "rg-reload-splitter.h"

/*
 * RgReloadSplitter: passes a list model through unchanged, except that a change replacing
 * every item (a new search or sort of RgMemberList: items-changed (0, old, new)) is passed
 * on as a removal of everything followed by an insertion.
 *
 * GTK 4.8's list views, told that the row at the scroll anchor was replaced, look for its
 * item among all the added items (gtk_list_item_manager_try_reacquire_list_item() for each
 * position), and GtkSingleSelection does the same for the selected item: over a lazy list
 * of a million members that reads every page. Removed first, there is nothing to look for;
 * the view starts again at the top, as it should for a new order.
 */

struct _RgReloadSplitter
{
  GObject     parent_instance;

  GListModel *model;
  /* What we told our own listeners; lags behind the model during a split. */
  guint       n_items;
};

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RgReloadSplitter, rg_reload_splitter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

static GType
rg_reload_splitter_get_item_type (GListModel *model)
{
  RgReloadSplitter *self = RG_RELOAD_SPLITTER (model);

  return self->model != NULL ? g_list_model_get_item_type (self->model) : G_TYPE_OBJECT;
}

static guint
rg_reload_splitter_get_n_items (GListModel *model)
{
  return RG_RELOAD_SPLITTER (model)->n_items;
}

static gpointer
rg_reload_splitter_get_item (GListModel *model,
                             guint       position)
{
  RgReloadSplitter *self = RG_RELOAD_SPLITTER (model);

  if (self->model == NULL || position >= self->n_items)
    return NULL;
  return g_list_model_get_item (self->model, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = rg_reload_splitter_get_item_type;
  iface->get_n_items = rg_reload_splitter_get_n_items;
  iface->get_item = rg_reload_splitter_get_item;
}

static void
on_items_changed (RgReloadSplitter *self,
                  guint             position,
                  guint             removed,
                  guint             added,
                  GListModel       *model)
{
  guint old_n_items = self->n_items;

  if (position == 0 && removed > 0 && added > 0 && removed == old_n_items)
    {
      self->n_items = 0;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
      self->n_items = g_list_model_get_n_items (model);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
      return;
    }

  self->n_items = g_list_model_get_n_items (model);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
rg_reload_splitter_dispose (GObject *object)
{
  RgReloadSplitter *self = (RgReloadSplitter *)object;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (rg_reload_splitter_parent_class)->dispose (object);
}

static void
rg_reload_splitter_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RgReloadSplitter *self = RG_RELOAD_SPLITTER (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_reload_splitter_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RgReloadSplitter *self = RG_RELOAD_SPLITTER (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      rg_reload_splitter_set_model (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rg_reload_splitter_class_init (RgReloadSplitterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rg_reload_splitter_dispose;
  object_class->get_property = rg_reload_splitter_get_property;
  object_class->set_property = rg_reload_splitter_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rg_reload_splitter_init (RgReloadSplitter *self)
{
}

RgReloadSplitter *
rg_reload_splitter_new (GListModel *model)
{
  g_return_val_if_fail (model == NULL || G_IS_LIST_MODEL (model), NULL);

  return g_object_new (RG_TYPE_RELOAD_SPLITTER, "model", model, NULL);
}

GListModel *
rg_reload_splitter_get_model (RgReloadSplitter *self)
{
  g_return_val_if_fail (RG_IS_RELOAD_SPLITTER (self), NULL);

  return self->model;
}

/**
 * rg_reload_splitter_set_model:
 * @model: (nullable): the list to pass through
 */
void
rg_reload_splitter_set_model (RgReloadSplitter *self,
                              GListModel       *model)
{
  guint removed;

  g_return_if_fail (RG_IS_RELOAD_SPLITTER (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);
  g_set_object (&self->model, model);

  removed = self->n_items;
  self->n_items = 0;
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);

  if (model != NULL)
    {
      g_signal_connect_object (model, "items-changed", G_CALLBACK (on_items_changed), self,
                               G_CONNECT_SWAPPED);
      self->n_items = g_list_model_get_n_items (model);
      if (self->n_items > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}
