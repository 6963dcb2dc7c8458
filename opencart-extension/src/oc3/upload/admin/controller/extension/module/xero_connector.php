<?php
require_once DIR_SYSTEM . 'library/oc_xero_connector/api_client.php';
require_once DIR_SYSTEM . 'library/oc_xero_connector/view_patch.php';

use OcXeroConnector\ApiClient;
use OcXeroConnector\ApiException;
use OcXeroConnector\ViewPatch;

/**
 * The Xero connector in the OpenCart 3 admin. Thin on purpose: every action here is one call to
 * the connector's API made by PHP on the server with the stored key (the key never reaches a
 * browser); the rules stay in the API.
 */
class ControllerExtensionModuleXeroConnector extends Controller {
	const ROUTE = 'extension/module/xero_connector';
	const SETTING = 'module_xero_connector';

	private $error = array();

	/** code => [trigger, method] */
	private static $events = array(
		'order_list' => array('admin/view/sale/order_list/after', 'eventOrderList'),
		'order_info' => array('admin/view/sale/order_info/after', 'eventOrderInfo'),
		'product_form' => array('admin/view/catalog/product_form/after', 'eventProductForm'),
		'order_history' => array('catalog/model/checkout/order/addOrderHistory/after', 'eventOrderHistory'),
	);

	public function index() {
		$this->load->language(self::ROUTE);
		$this->document->setTitle($this->language->get('heading_title'));
		$this->load->model('setting/setting');
		$token = 'user_token=' . $this->session->data['user_token'];

		if ($this->request->server['REQUEST_METHOD'] == 'POST' && $this->validate()) {
			$post = $this->request->post;
			$key = trim((string)($post['module_xero_connector_key'] ?? ''));
			if ($key === '') {
				$key = (string)$this->config->get('module_xero_connector_key');
			}
			$this->model_setting_setting->editSetting(self::SETTING, array(
				'module_xero_connector_status' => !empty($post['module_xero_connector_status']) ? 1 : 0,
				'module_xero_connector_url' => ApiClient::normaliseBaseUrl((string)$post['module_xero_connector_url']),
				'module_xero_connector_key' => $key,
				'module_xero_connector_spa_url' => trim((string)($post['module_xero_connector_spa_url'] ?? '')),
			));
			$this->session->data['success'] = $this->language->get('text_success');
			$this->response->redirect($this->url->link(self::ROUTE, $token, true));
		}

		$data['error_warning'] = $this->error['warning'] ?? '';
		$data['error_url'] = $this->error['url'] ?? '';
		$data['success'] = $this->session->data['success'] ?? '';
		unset($this->session->data['success']);

		$data['breadcrumbs'] = array(
			array('text' => $this->language->get('text_home'), 'href' => $this->url->link('common/dashboard', $token, true)),
			array('text' => $this->language->get('text_extension'), 'href' => $this->url->link('marketplace/extension', $token . '&type=module', true)),
			array('text' => $this->language->get('heading_title'), 'href' => $this->url->link(self::ROUTE, $token, true)),
		);
		$data['action'] = $this->url->link(self::ROUTE, $token, true);
		$data['cancel'] = $this->url->link('marketplace/extension', $token . '&type=module', true);
		$data['test'] = str_replace('&amp;', '&', $this->url->link(self::ROUTE . '/test', $token, true));

		foreach (array('status', 'url', 'spa_url') as $f) {
			$k = 'module_xero_connector_' . $f;
			$data[$k] = isset($this->request->post[$k]) ? $this->request->post[$k] : $this->config->get($k);
		}
		// The key is write-only: the form shows a mask and an empty field keeps the stored key.
		$data['key_mask'] = ApiClient::maskKey((string)$this->config->get('module_xero_connector_key'));
		$data['spa_link'] = $data['module_xero_connector_spa_url'] ?: $data['module_xero_connector_url'];

		$data['header'] = $this->load->controller('common/header');
		$data['column_left'] = $this->load->controller('common/column_left');
		$data['footer'] = $this->load->controller('common/footer');
		$this->response->setOutput($this->load->view(self::ROUTE, $data));
	}

	protected function validate() {
		if (!$this->user->hasPermission('modify', self::ROUTE)) {
			$this->error['warning'] = $this->language->get('error_permission');
		}
		try {
			if (ApiClient::normaliseBaseUrl((string)($this->request->post['module_xero_connector_url'] ?? '')) === '') {
				$this->error['url'] = $this->language->get('xero_error_url');
			}
		} catch (\InvalidArgumentException $e) {
			$this->error['url'] = $this->language->get('xero_error_url');
		}
		return !$this->error;
	}

	public function test() {
		$this->load->language(self::ROUTE);
		if (!$this->user->hasPermission('access', self::ROUTE)) {
			return $this->json(array('error' => $this->language->get('error_permission')));
		}
		try {
			$r = $this->client()->testConnection();
			$xero = $r['xero'];
			$this->json(array(
				'success' => $this->language->get('xero_text_connection_ok'),
				'organisation' => (string)($xero['organisationName'] ?? $xero['tenantName'] ?? $xero['organisation']['tenantName'] ?? $xero['organisation']['name'] ?? ''),
				'health' => (string)($r['health']['status'] ?? ''),
				'connected' => !empty($xero['connected']),
				'xero' => $xero,
			));
		} catch (ApiException $e) {
			$this->json(array('error' => $e->getMessage()));
		}
	}

	public function panel() {
		$this->load->language(self::ROUTE);
		$orderId = (int)($this->request->get['order_id'] ?? 0);
		$token = 'user_token=' . $this->session->data['user_token'];
		$data = array('order_id' => $orderId, 'error' => '', 'state' => null);
		$this->load->model('sale/order');
		$order = $this->model_sale_order->getOrder($orderId);
		$data['opencart_total'] = $order ? $this->currency->format((float)$order['total'], $order['currency_code'], (float)$order['currency_value']) : '';
		try {
			$state = $this->client(4000)->orderStatus($orderId);
			$data['label'] = ApiClient::orderLabel($state);
			$data['label_text'] = $this->language->get('xero_status_' . $data['label']['code']);
			$sync = $state['sync'] ?? $state ?? array();
			$data['invoice_number'] = (string)($sync['invoiceNumber'] ?? '');
			$data['xero_url'] = (string)($sync['xeroUrl'] ?? '');
			$data['xero_total'] = isset($sync['xeroTotal']) ? $this->currency->format((float)$sync['xeroTotal'], (string)($sync['currencyCode'] ?? $order['currency_code'] ?? ''), 1.0) : '';
			$data['last_error'] = (string)($sync['error'] ?? '');
			$data['updated_at'] = (string)($sync['updatedAt'] ?? '');
			$data['payments'] = is_array($sync['payments'] ?? null) ? $sync['payments'] : array();
			$data['credit_notes'] = is_array($sync['creditNotes'] ?? null) ? $sync['creditNotes'] : array();
			$data['marked'] = !empty($state['marked']);
		} catch (ApiException $e) {
			$data['error'] = $e->getMessage();
		}
		foreach (array('sync', 'preview', 'mark', 'unmark') as $action) {
			$data['url_' . $action] = str_replace('&amp;', '&', $this->url->link(self::ROUTE . '/' . $action, $token . '&order_id=' . $orderId, true));
		}
		$data['can_modify'] = $this->user->hasPermission('modify', self::ROUTE);
		$this->response->setOutput($this->load->view(self::ROUTE . '_panel', $data));
	}

	public function sync() {
		$this->orderAction(function (ApiClient $c, array $ids) {
			return count($ids) === 1 ? $c->syncOrder($ids[0]) : $c->syncOrders($ids);
		}, 'xero_text_sync_queued');
	}

	public function mark() {
		$this->orderAction(function (ApiClient $c, array $ids) {
			return $c->markOrders($ids);
		}, 'xero_text_marked');
	}

	public function unmark() {
		$this->orderAction(function (ApiClient $c, array $ids) {
			return $c->unmarkOrders($ids);
		}, 'xero_text_unmarked');
	}

	public function preview() {
		$this->load->language(self::ROUTE);
		if (!$this->user->hasPermission('access', self::ROUTE)) {
			return $this->json(array('error' => $this->language->get('error_permission')));
		}
		try {
			$this->json(array('preview' => $this->client(15000)->previewOrder((int)($this->request->get['order_id'] ?? 0))));
		} catch (ApiException $e) {
			$this->json(array('error' => $e->getMessage()));
		}
	}

	public function product() {
		$this->load->language(self::ROUTE);
		$productId = (int)($this->request->get['product_id'] ?? 0);
		$data = array('product_id' => $productId, 'error' => '', 'sales' => array(), 'purchase' => array(), 'override' => array('salesAccountCode' => null, 'purchaseAccountCode' => null));
		$data['url_save'] = str_replace('&amp;', '&', $this->url->link(self::ROUTE . '/productSave', 'user_token=' . $this->session->data['user_token'] . '&product_id=' . $productId, true));
		$data['can_modify'] = $this->user->hasPermission('modify', self::ROUTE);
		if ($productId > 0) {
			try {
				$client = $this->client();
				list($data['sales'], $data['purchase']) = ApiClient::accountChoices($client->accounts());
				$data['override'] = $client->productOverride($productId);
			} catch (ApiException $e) {
				$data['error'] = $e->getMessage();
			}
		}
		$this->response->setOutput($this->load->view(self::ROUTE . '_product', $data));
	}

	public function productSave() {
		$this->load->language(self::ROUTE);
		if (!$this->user->hasPermission('modify', self::ROUTE)) {
			return $this->json(array('error' => $this->language->get('error_permission')));
		}
		try {
			$saved = $this->client()->setProductOverride((int)($this->request->get['product_id'] ?? 0), $this->request->post['xero_sales_account_code'] ?? null, $this->request->post['xero_purchase_account_code'] ?? null);
			$this->json(array('success' => $this->language->get('xero_text_product_saved'), 'override' => $saved));
		} catch (ApiException $e) {
			$this->json(array('error' => $e->getMessage()));
		}
	}

	// ---- view events: add to OpenCart's own pages ----

	/** The order list: the column (one API call for the page) and the bulk Mark / Unmark / Sync buttons. */
	public function eventOrderList(&$route, &$data, &$output) {
		if (!$this->enabled() || !$this->user->hasPermission('access', self::ROUTE)) {
			return;
		}
		$this->loadTexts();
		if (!empty($data['orders'])) {
			$ids = array_map(function ($o) { return (int)$o['order_id']; }, $data['orders']);
			$states = array();
			$error = '';
			try {
				$states = $this->client(3000)->orderStatuses($ids);
			} catch (ApiException $e) {
				$error = $e->getMessage();
			}
			$badge = array('exported' => 'label-success', 'failed' => 'label-danger', 'pending' => 'label-warning', 'marked' => 'label-info', 'removed' => 'label-default', 'not_exported' => 'label-default');
			$head = '<td class="text-left xero-connector-col">' . ViewPatch::e($this->language->get('xero_column')) . '</td>';
			$output = ViewPatch::orderListColumn($output, $head, function ($id) use ($states, $error, $badge) {
				if ($error !== '') {
					return '<td class="text-left xero-connector-col" data-order-id="' . $id . '"><span class="label label-default" title="' . ViewPatch::e($error) . '">?</span></td>';
				}
				$l = ApiClient::orderLabel($states[$id] ?? null);
				$text = $this->language->get('xero_status_' . $l['code']) . ($l['text'] !== '' ? ' ' . $l['text'] : '');
				return '<td class="text-left xero-connector-col" data-order-id="' . $id . '" data-xero-status="' . $l['code'] . '"><span class="label ' . $badge[$l['code']] . '"' . ($l['title'] !== '' ? ' title="' . ViewPatch::e($l['title']) . '" data-toggle="tooltip"' : '') . '>' . ViewPatch::e($text) . '</span></td>';
			});
		}
		if ($this->user->hasPermission('modify', self::ROUTE)) {
			$token = 'user_token=' . $this->session->data['user_token'];
			$buttons = '<div class="btn-group" id="xero-connector-bulk"><button type="button" class="btn btn-default dropdown-toggle" data-toggle="dropdown">' . ViewPatch::e($this->language->get('xero_button_bulk')) . ' <span class="caret"></span></button><ul class="dropdown-menu dropdown-menu-right">';
			foreach (array('mark' => 'xero_button_mark_selected', 'unmark' => 'xero_button_unmark_selected', 'sync' => 'xero_button_sync_selected') as $a => $t) {
				$url = str_replace('&amp;', '&', $this->url->link(self::ROUTE . '/' . $a, $token, true));
				$buttons .= '<li><a href="#" data-xero-bulk="' . ViewPatch::e($url) . '" id="xero-connector-bulk-' . $a . '">' . ViewPatch::e($this->language->get($t)) . '</a></li>';
			}
			$buttons .= '</ul></div> ';
			$output = ViewPatch::insertAfter($output, '<div class="pull-right">', $buttons, 'id="content"');
			$output = ViewPatch::insertBeforeLast($output, '</body>', $this->bulkScript());
		}
	}

	/** The order page: the Xero panel, loaded from panel() once the page is shown. */
	public function eventOrderInfo(&$route, &$data, &$output) {
		if (!$this->enabled() || !$this->user->hasPermission('access', self::ROUTE)) {
			return;
		}
		$orderId = (int)($data['order_id'] ?? $this->request->get['order_id'] ?? 0);
		if ($orderId <= 0) {
			return;
		}
		$this->loadTexts();
		$url = str_replace('&amp;', '&', $this->url->link(self::ROUTE . '/panel', 'user_token=' . $this->session->data['user_token'] . '&order_id=' . $orderId, true));
		$card = '<div class="panel panel-default" id="xero-connector-panel" data-url="' . ViewPatch::e($url) . '">'
			. '<div class="panel-heading"><h3 class="panel-title"><i class="fa fa-file-text-o"></i> ' . ViewPatch::e($this->language->get('xero_panel_title')) . '</h3></div>'
			. '<div class="panel-body"><div id="xero-connector-panel-body">' . ViewPatch::e($this->language->get('xero_text_loading')) . '</div>'
			. '<div class="alert hidden" id="xero-connector-result" style="margin: 15px 0 0;"></div></div></div>';
		$output = ViewPatch::insertAfter($output, '<div class="container-fluid">', $card, 'class="breadcrumb"');
		$output = ViewPatch::insertBeforeLast($output, '</body>', $this->panelScript());
	}

	/** The product form: a Xero tab with the sales / purchase account overrides. */
	public function eventProductForm(&$route, &$data, &$output) {
		if (!$this->enabled() || !$this->user->hasPermission('access', self::ROUTE)) {
			return;
		}
		$this->loadTexts();
		$productId = (int)($this->request->get['product_id'] ?? 0);
		$url = str_replace('&amp;', '&', $this->url->link(self::ROUTE . '/product', 'user_token=' . $this->session->data['user_token'] . '&product_id=' . $productId, true));
		$link = '<li><a href="#tab-xero-connector" data-toggle="tab" id="xero-connector-tab">' . ViewPatch::e($this->language->get('xero_tab')) . '</a></li>';
		$pane = '<div id="tab-xero-connector" class="tab-pane" data-url="' . ViewPatch::e($url) . '">' . ViewPatch::e($this->language->get('xero_text_loading')) . '</div>';
		$output = ViewPatch::addTab($output, $link, $pane, 'id="form-product"');
		$output = ViewPatch::insertBeforeLast($output, '</body>', $this->productScript());
	}

	// ---- install / uninstall (called by Extensions > Modules) ----

	public function install() {
		$this->load->model('setting/event');
		$this->uninstallEvents();
		foreach (self::$events as $code => $e) {
			$this->model_setting_event->addEvent('oc_xero_connector_' . $code, $e[0], self::ROUTE . '/' . $e[1]);
		}
		$this->load->model('setting/setting');
		$this->model_setting_setting->editSetting(self::SETTING, array('module_xero_connector_status' => 1, 'module_xero_connector_url' => '', 'module_xero_connector_key' => '', 'module_xero_connector_spa_url' => ''));
	}

	public function uninstall() {
		$this->load->model('setting/event');
		$this->uninstallEvents();
		$this->load->model('setting/setting');
		$this->model_setting_setting->deleteSetting(self::SETTING);
	}

	private function uninstallEvents() {
		foreach (array_keys(self::$events) as $code) {
			$this->model_setting_event->deleteEventByCode('oc_xero_connector_' . $code);
		}
	}

	// ---- helpers ----

	private function orderAction($call, $successKey) {
		$this->load->language(self::ROUTE);
		if (!$this->user->hasPermission('modify', self::ROUTE)) {
			return $this->json(array('error' => $this->language->get('error_permission')));
		}
		$ids = array();
		if (isset($this->request->get['order_id'])) {
			$ids[] = (int)$this->request->get['order_id'];
		}
		if (isset($this->request->post['selected']) && is_array($this->request->post['selected'])) {
			$ids = array_merge($ids, $this->request->post['selected']);
		}
		$ids = ApiClient::ids($ids);
		if (!$ids) {
			return $this->json(array('error' => $this->language->get('xero_error_no_selection')));
		}
		try {
			$result = $call($this->client(), $ids);
			$this->json(array('success' => sprintf($this->language->get($successKey), count($ids)), 'result' => $result));
		} catch (ApiException $e) {
			$this->json(array('error' => $e->getMessage()));
		}
	}

	private function client($timeoutMs = 8000) {
		$log = $this->log;
		return new ApiClient((string)$this->config->get('module_xero_connector_url'), (string)$this->config->get('module_xero_connector_key'), array(
			'timeout_ms' => $timeoutMs,
			'logger' => function ($line) use ($log) { $log->write($line); },
		));
	}

	private function enabled() {
		return (bool)$this->config->get('module_xero_connector_status');
	}

	private function loadTexts() {
		$title = $this->language->get('heading_title');
		$this->load->language(self::ROUTE);
		$this->language->set('heading_title', $title);
	}

	private function json(array $json) {
		$this->response->addHeader('Content-Type: application/json');
		$this->response->setOutput(json_encode($json));
	}

	private function bulkScript() {
		$none = json_encode($this->language->get('xero_error_no_selection'));
		return <<<HTML
<script type="text/javascript">
$(document).on('click', '[data-xero-bulk]', function (e) {
  e.preventDefault();
  var ids = $('#form-order input[name="selected[]"]:checked').serialize();
  if (!ids) { alert($none); return; }
  $.ajax({ url: $(this).attr('data-xero-bulk'), type: 'post', data: ids, dataType: 'json' }).done(function (json) {
    $('#content > .container-fluid').first().prepend($('<div class="alert alert-' + (json.error ? 'danger' : 'success') + '" id="xero-connector-alert"></div>').text(json.error || json.success));
    if (!json.error) { setTimeout(function () { location.reload(); }, 1500); }
  });
});
</script>
HTML;
	}

	private function panelScript() {
		return str_replace('/*XERO_PREVIEW*/', ViewPatch::previewScript(), <<<'HTML'
<script type="text/javascript">
/*XERO_PREVIEW*/
(function () {
  var panel = $('#xero-connector-panel');
  function load(done) { $('#xero-connector-panel-body').load(panel.attr('data-url'), done); }
  // A sync takes a few seconds: reload until the order leaves pending / not exported (at most ~20 s).
  function poll(n) {
    setTimeout(function () {
      load(function () {
        var s = $('#xero-connector-status').attr('data-xero-status');
        if (n > 1 && (s === 'pending' || s === 'not_exported')) { poll(n - 1); }
      });
    }, 1500);
  }
  load();
  $(document).on('click', '#xero-connector-panel [data-xero-action]', function (e) {
    e.preventDefault();
    // Created on use: the order page's own scripts remove every .alert when they run.
    var b = $(this), out = $('#xero-connector-result');
    if (!out.length) { out = $('<div class="alert" id="xero-connector-result"></div>').appendTo('#xero-connector-panel .panel-body').first(); }
    b.prop('disabled', true);
    $.ajax({ url: b.attr('data-xero-action'), type: b.attr('data-method') || 'post', dataType: 'json' }).done(function (json) {
      if (json.preview) { out.removeClass('hidden alert-danger').addClass('alert-info').html(xeroConnectorPreview(json.preview)); var xt = $(out).find('#xero-connector-preview-xero-total').text(); if (xt) { $('#xero-connector-xero-total').text(xt + ' (preview)'); } }
      else { out.removeClass('hidden alert-info alert-success alert-danger').addClass(json.error ? 'alert-danger' : 'alert-success').text(json.error || json.success); }
      if (!json.error && !json.preview) { poll(b.is('#xero-connector-sync') ? 13 : 1); }
    }).fail(function (xhr) {
      out.removeClass('hidden alert-info alert-success').addClass('alert-danger').text(xhr.status + ' ' + (xhr.responseText || '').replace(/<[^>]*>/g, '').slice(0, 500));
    }).always(function () { b.prop('disabled', false); });
  });
})();
</script>
HTML);
	}

	private function productScript() {
		return <<<'HTML'
<script type="text/javascript">
(function () {
  var pane = $('#tab-xero-connector');
  pane.load(pane.attr('data-url'));
  $(document).on('click', '#xero-connector-product-save', function (e) {
    e.preventDefault();
    var b = $(this), out = $('#xero-connector-product-result');
    $.ajax({ url: b.attr('data-url'), type: 'post', dataType: 'json', data: { xero_sales_account_code: $('#input-xero-sales').val(), xero_purchase_account_code: $('#input-xero-purchase').val() } }).done(function (json) {
      out.removeClass('hidden alert-success alert-danger').addClass(json.error ? 'alert-danger' : 'alert-success').text(json.error || json.success);
    });
  });
})();
</script>
HTML;
	}
}
