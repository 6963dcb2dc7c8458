<?php
// The one language source of both packages: scripts/build.mjs writes it to each release's language
// folder (3.x admin/language/<code>/extension/module/, 4.x admin/language/<code>/module/).
// Another language = one more file here named by OpenCart's language code, e.g. de-de.php.
// Heading
$_['heading_title']                 = 'Xero connector';

// Text
$_['text_extension']                = 'Extensions';
$_['text_success']                  = 'Success: you have saved the Xero connector settings.';
$_['text_edit']                     = 'Edit Xero connector';
$_['xero_text_connection_ok']       = 'Connected to the Xero connector.';
$_['xero_text_loading']             = 'Loading from the Xero connector…';
$_['xero_text_sync_queued']         = 'Sync requested for %s order(s); the invoice appears in Xero in a few seconds.';
$_['xero_text_marked']              = '%s order(s) marked: they will not be exported.';
$_['xero_text_unmarked']            = '%s order(s) unmarked: they will be exported again.';
$_['xero_text_product_saved']       = 'Xero accounts saved for this product.';
$_['xero_text_key_saved']           = 'A key is saved (%s). Leave the field empty to keep it.';
$_['xero_text_no_key']              = 'No key saved yet.';
$_['xero_text_default_account']     = '— the connector\'s default —';
$_['xero_text_save_product_first']  = 'Save the product first; its Xero accounts can be set once it exists.';
$_['xero_text_none']                = 'None';
$_['xero_text_organisation']        = 'Organisation';
$_['xero_text_health']              = 'Service';
$_['xero_text_xero_connection']     = 'Xero connection';
$_['xero_text_connected']           = 'connected';
$_['xero_text_not_connected']       = 'not connected';

// Entry
$_['entry_status']                  = 'Status';
$_['xero_entry_url']                = 'Connector URL';
$_['xero_entry_key']                = 'API key';
$_['xero_entry_spa_url']            = 'Connector admin URL';
$_['xero_entry_sales_account']      = 'Sales account';
$_['xero_entry_purchase_account']   = 'Purchase account';
$_['xero_help_url']                 = 'Where this store\'s server reaches the connector, e.g. http://127.0.0.1:3000';
$_['xero_help_key']                 = 'A key of scope "opencart-bridge" made in the connector\'s admin (Settings > API keys). It is stored here and never shown again.';
$_['xero_help_spa_url']             = 'Where your browser opens the connector\'s admin; empty = the connector URL.';

// Column / panel
$_['xero_column']                   = 'Xero';
$_['xero_status_exported']          = 'Exported';
$_['xero_status_failed']            = 'Failed';
$_['xero_status_pending']           = 'Pending';
$_['xero_status_marked']            = 'Marked';
$_['xero_status_removed']           = 'Removed';
$_['xero_status_not_exported']      = 'Not exported';
$_['xero_panel_title']              = 'Xero';
$_['xero_tab']                      = 'Xero';
$_['xero_label_invoice']            = 'Invoice';
$_['xero_label_status']             = 'Status';
$_['xero_label_opencart_total']     = 'OpenCart total';
$_['xero_label_xero_total']         = 'Xero total';
$_['xero_label_payments']           = 'Payments';
$_['xero_label_credit_notes']       = 'Credit notes';
$_['xero_label_last_error']         = 'Last error';
$_['xero_label_updated']            = 'Last sync';
$_['xero_label_xero_status']        = 'Status in Xero';
$_['xero_label_paid']               = 'Paid / due in Xero';
$_['xero_text_matches']             = 'matches OpenCart';
$_['xero_text_differs']             = 'differs from OpenCart by %s';
$_['xero_text_applied']             = '%s applied';

// Button
$_['xero_button_test']              = 'Test connection';
$_['xero_button_open_spa']          = 'Open the connector admin';
$_['xero_button_sync']              = 'Sync now';
$_['xero_button_preview']           = 'Preview';
$_['xero_button_mark']              = 'Mark';
$_['xero_button_unmark']            = 'Unmark';
$_['xero_button_bulk']              = 'Xero';
$_['xero_button_mark_selected']     = 'Mark selected';
$_['xero_button_unmark_selected']   = 'Unmark selected';
$_['xero_button_sync_selected']     = 'Sync selected now';
$_['xero_button_save_accounts']     = 'Save Xero accounts';

// Error
$_['error_permission']              = 'Warning: you do not have permission to modify the Xero connector!';
$_['xero_error_access']             = 'Warning: you do not have permission to use the Xero connector!';
$_['xero_error_url']                = 'Enter the connector URL, starting with http:// or https://';
$_['xero_error_no_selection']       = 'Select at least one order.';
