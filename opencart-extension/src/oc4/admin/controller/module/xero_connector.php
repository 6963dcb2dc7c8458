<?php
namespace Opencart\Admin\Controller\Extension\OcXeroConnector\Module;

require_once DIR_EXTENSION . 'oc_xero_connector/system/library/api_client.php';
require_once DIR_EXTENSION . 'oc_xero_connector/system/library/view_patch.php';

use OcXeroConnector\ApiClient;
use OcXeroConnector\ApiException;
use OcXeroConnector\ViewPatch;

/**
 * The Xero connector in the OpenCart 4 admin. Thin on purpose: every action here is one call to
 * the connector's API made by PHP on the server with the stored key (the key never reaches a
 * browser); the rules stay in the API.
 */
class XeroConnector extends \Opencart\System\Engine\Controller {
	private const ROUTE = 'extension/oc_xero_connector/module/xero_connector';
	private const SETTING = 'module_xero_connector';

	/** trigger => method; the catalog one is added in install() because its name changed in 4.1. */
	private const ADMIN_EVENTS = [
		'order_list' => ['admin/view/sale/order_list/after', 'eventOrderList'],
		'order_page' => ['admin/view/sale/order/after', 'eventOrderPage'],
		'order_info' => ['admin/view/sale/order_info/after', 'eventOrderInfo'],
		'product_form' => ['admin/view/catalog/product_form/after', 'eventProductForm'],
	];

	public function index(): void {
		$this->load->language(self::ROUTE);
		$this->document->setTitle($this->language->get('heading_title'));
		$token = 'user_token=' . $this->session->data['user_token'];

		$data['breadcrumbs'] = [
			['text' => $this->language->get('text_home'), 'href' => $this->url->link('common/dashboard', $token)],
			['text' => $this->language->get('text_extension'), 'href' => $this->url->link('marketplace/extension', $token . '&type=module')],
			['text' => $this->language->get('heading_title'), 'href' => $this->url->link(self::ROUTE, $token)],
		];
		$data['save'] = $this->url->link(self::ROUTE . '.save', $token);
		$data['test'] = $this->url->link(self::ROUTE . '.test', $token);
		$data['back'] = $this->url->link('marketplace/extension', $token . '&type=module');

		$data['module_xero_connector_status'] = (int)$this->config->get('module_xero_connector_status');
		$data['module_xero_connector_url'] = (string)$this->config->get('module_xero_connector_url');
		$data['module_xero_connector_spa_url'] = (string)$this->config->get('module_xero_connector_spa_url');
		// The key is write-only: the form shows a mask and an empty field keeps the stored key.
		$data['key_mask'] = ApiClient::maskKey((string)$this->config->get('module_xero_connector_key'));
		$data['spa_link'] = $data['module_xero_connector_spa_url'] ?: $data['module_xero_connector_url'];

		$data['header'] = $this->load->controller('common/header');
		$data['column_left'] = $this->load->controller('common/column_left');
		$data['footer'] = $this->load->controller('common/footer');

		$this->response->setOutput($this->load->view(self::ROUTE, $data));
	}

	public function save(): void {
		$this->load->language(self::ROUTE);
		$json = [];
		if (!$this->user->hasPermission('modify', self::ROUTE)) {
			$json['error']['warning'] = $this->language->get('error_permission');
		}
		$post = $this->request->post;
		$url = trim((string)($post['module_xero_connector_url'] ?? ''));
		try {
			$url = ApiClient::normaliseBaseUrl($url);
		} catch (\InvalidArgumentException $e) {
			$json['error']['url'] = $this->language->get('xero_error_url');
		}
		if ($url === '' && !isset($json['error']['url'])) {
			$json['error']['url'] = $this->language->get('xero_error_url');
		}
		$spa = trim((string)($post['module_xero_connector_spa_url'] ?? ''));
		if ($spa !== '' && !preg_match('#^https?://#i', $spa)) {
			$json['error']['spa_url'] = $this->language->get('xero_error_url');
		}
		$key = trim((string)($post['module_xero_connector_key'] ?? ''));
		if ($key === '') {
			$key = (string)$this->config->get('module_xero_connector_key');
		}
		if (!$json) {
			$this->load->model('setting/setting');
			$this->model_setting_setting->editSetting(self::SETTING, [
				'module_xero_connector_status' => !empty($post['module_xero_connector_status']) ? 1 : 0,
				'module_xero_connector_url' => $url,
				'module_xero_connector_key' => $key,
				'module_xero_connector_spa_url' => $spa,
			]);
			$json['success'] = $this->language->get('text_success');
			$json['key_mask'] = ApiClient::maskKey($key);
		}
		$this->json($json);
	}

	/** Test connection: the service's health and the Xero organisation, asked by the server. */
	public function test(): void {
		$this->load->language(self::ROUTE);
		if (!$this->user->hasPermission('access', self::ROUTE)) {
			$this->json(['error' => $this->language->get('error_permission')]);
			return;
		}
		try {
			$r = $this->client()->testConnection();
			$xero = $r['xero'];
			$this->json([
				'success' => $this->language->get('xero_text_connection_ok'),
				'organisation' => (string)($xero['organisationName'] ?? $xero['tenantName'] ?? $xero['organisation']['tenantName'] ?? $xero['organisation']['name'] ?? ''),
				'health' => (string)($r['health']['status'] ?? ''),
				'connected' => !empty($xero['connected']),
				'xero' => $xero,
			]);
		} catch (ApiException $e) {
			$this->json(['error' => $e->getMessage()]);
		}
	}

	/** The order page's panel (loaded after the page so a slow connector never slows the page). */
	public function panel(): void {
		$this->load->language(self::ROUTE);
		$orderId = (int)($this->request->get['order_id'] ?? 0);
		$token = 'user_token=' . $this->session->data['user_token'];
		$data = ['order_id' => $orderId, 'error' => '', 'state' => null];
		$this->load->model('sale/order');
		$order = $this->model_sale_order->getOrder($orderId);
		$data['opencart_total'] = $order ? $this->currency->format((float)$order['total'], $order['currency_code'], (float)$order['currency_value']) : '';
		try {
			$state = $this->client(4000)->orderStatus($orderId);
			$data['state'] = $state;
			$data['label'] = ApiClient::orderLabel($state);
			$data['label_text'] = $this->language->get('xero_status_' . $data['label']['code']);
			$sync = $state['sync'] ?? $state ?? [];
			$data['invoice_number'] = (string)($sync['invoiceNumber'] ?? '');
			$data['xero_url'] = (string)($sync['xeroUrl'] ?? '');
			$data['xero_total'] = isset($sync['xeroTotal']) ? $this->currency->format((float)$sync['xeroTotal'], (string)($sync['currencyCode'] ?? $order['currency_code'] ?? ''), 1.0) : '';
			$data['last_error'] = (string)($sync['error'] ?? '');
			$data['updated_at'] = (string)($sync['updatedAt'] ?? '');
			$data['payments'] = is_array($sync['payments'] ?? null) ? $sync['payments'] : [];
			$data['credit_notes'] = is_array($sync['creditNotes'] ?? null) ? $sync['creditNotes'] : [];
			$data['marked'] = !empty($state['marked']);
		} catch (ApiException $e) {
			$data['error'] = $e->getMessage();
		}
		foreach (['sync', 'preview', 'mark', 'unmark'] as $action) {
			$data['url_' . $action] = str_replace('&amp;', '&', $this->url->link(self::ROUTE . '.' . $action, $token . '&order_id=' . $orderId));
		}
		$data['can_modify'] = $this->user->hasPermission('modify', self::ROUTE);
		$this->response->setOutput($this->load->view(self::ROUTE . '_panel', $data));
	}

	public function sync(): void {
		$this->orderAction(function (ApiClient $c, array $ids) {
			return count($ids) === 1 ? $c->syncOrder($ids[0]) : $c->syncOrders($ids);
		}, 'xero_text_sync_queued');
	}

	public function mark(): void {
		$this->orderAction(function (ApiClient $c, array $ids) {
			return $c->markOrders($ids);
		}, 'xero_text_marked');
	}

	public function unmark(): void {
		$this->orderAction(function (ApiClient $c, array $ids) {
			return $c->unmarkOrders($ids);
		}, 'xero_text_unmarked');
	}

	public function preview(): void {
		$this->load->language(self::ROUTE);
		if (!$this->user->hasPermission('access', self::ROUTE)) {
			$this->json(['error' => $this->language->get('error_permission')]);
			return;
		}
		try {
			$this->json(['preview' => $this->client(15000)->previewOrder((int)($this->request->get['order_id'] ?? 0))]);
		} catch (ApiException $e) {
			$this->json(['error' => $e->getMessage()]);
		}
	}

	/** The product form's Xero tab: the organisation's accounts and this product's override. */
	public function product(): void {
		$this->load->language(self::ROUTE);
		$productId = (int)($this->request->get['product_id'] ?? 0);
		$data = ['product_id' => $productId, 'error' => '', 'sales' => [], 'purchase' => [], 'override' => ['salesAccountCode' => null, 'purchaseAccountCode' => null]];
		$data['url_save'] = str_replace('&amp;', '&', $this->url->link(self::ROUTE . '.productSave', 'user_token=' . $this->session->data['user_token'] . '&product_id=' . $productId));
		$data['can_modify'] = $this->user->hasPermission('modify', self::ROUTE);
		if ($productId > 0) {
			try {
				$client = $this->client();
				[$data['sales'], $data['purchase']] = ApiClient::accountChoices($client->accounts());
				$data['override'] = $client->productOverride($productId);
			} catch (ApiException $e) {
				$data['error'] = $e->getMessage();
			}
		}
		$this->response->setOutput($this->load->view(self::ROUTE . '_product', $data));
	}

	public function productSave(): void {
		$this->load->language(self::ROUTE);
		if (!$this->user->hasPermission('modify', self::ROUTE)) {
			$this->json(['error' => $this->language->get('error_permission')]);
			return;
		}
		$productId = (int)($this->request->get['product_id'] ?? 0);
		try {
			$saved = $this->client()->setProductOverride($productId, $this->request->post['xero_sales_account_code'] ?? null, $this->request->post['xero_purchase_account_code'] ?? null);
			$this->json(['success' => $this->language->get('xero_text_product_saved'), 'override' => $saved]);
		} catch (ApiException $e) {
			$this->json(['error' => $e->getMessage()]);
		}
	}

	// ---- view events: add to OpenCart's own pages ----

	/** The order list: one column, filled for the whole page by ONE call to the API. */
	public function eventOrderList(string &$route, array &$data, string &$output): void {
		if (!$this->enabled() || empty($data['orders'])) {
			return;
		}
		$this->loadTexts();
		$ids = array_map(function ($o) { return (int)$o['order_id']; }, $data['orders']);
		$states = [];
		$error = '';
		try {
			$states = $this->client(3000)->orderStatuses($ids);
		} catch (ApiException $e) {
			$error = $e->getMessage();
		}
		$badge = ['exported' => 'bg-success', 'failed' => 'bg-danger', 'pending' => 'bg-warning text-dark', 'marked' => 'bg-info text-dark', 'removed' => 'bg-secondary', 'not_exported' => 'bg-light text-dark border'];
		$head = '<th class="xero-connector-col">' . ViewPatch::e($this->language->get('xero_column')) . '</th>';
		$output = ViewPatch::orderListColumn($output, $head, function (int $id) use ($states, $error, $badge) {
			if ($error !== '') {
				return '<td class="xero-connector-col" data-order-id="' . $id . '"><span class="badge bg-light text-dark border" title="' . ViewPatch::e($error) . '">?</span></td>';
			}
			$l = ApiClient::orderLabel($states[$id] ?? null);
			$text = $this->language->get('xero_status_' . $l['code']) . ($l['text'] !== '' ? ' ' . $l['text'] : '');
			return '<td class="xero-connector-col" data-order-id="' . $id . '" data-xero-status="' . $l['code'] . '"><span class="badge ' . $badge[$l['code']] . '"' . ($l['title'] !== '' ? ' title="' . ViewPatch::e($l['title']) . '" data-bs-toggle="tooltip"' : '') . '>' . ViewPatch::e($text) . '</span></td>';
		});
	}

	/** The order list page: bulk Mark / Unmark / Sync of the selected orders. */
	public function eventOrderPage(string &$route, array &$data, string &$output): void {
		if (!$this->enabled() || !$this->user->hasPermission('modify', self::ROUTE)) {
			return;
		}
		$this->loadTexts();
		$token = 'user_token=' . $this->session->data['user_token'];
		$urls = [];
		foreach (['mark', 'unmark', 'sync'] as $a) {
			$urls[$a] = str_replace('&amp;', '&', $this->url->link(self::ROUTE . '.' . $a, $token));
		}
		$buttons = '<div class="btn-group" id="xero-connector-bulk">'
			. '<button type="button" class="btn btn-outline-primary dropdown-toggle" data-bs-toggle="dropdown" aria-expanded="false">' . ViewPatch::e($this->language->get('xero_button_bulk')) . '</button>'
			. '<ul class="dropdown-menu dropdown-menu-end">';
		foreach (['mark' => 'xero_button_mark_selected', 'unmark' => 'xero_button_unmark_selected', 'sync' => 'xero_button_sync_selected'] as $a => $t) {
			$buttons .= '<li><a href="#" class="dropdown-item" data-xero-bulk="' . ViewPatch::e($urls[$a]) . '" id="xero-connector-bulk-' . $a . '">' . ViewPatch::e($this->language->get($t)) . '</a></li>';
		}
		$buttons .= '</ul></div> ';
		$output = ViewPatch::insertAfter($output, '<div class="float-end">', $buttons, 'id="content"');
		$output = ViewPatch::insertBeforeLast($output, '</body>', $this->bulkScript());
	}

	/** The order page: the Xero panel, loaded from panel() once the page is shown. */
	public function eventOrderInfo(string &$route, array &$data, string &$output): void {
		if (!$this->enabled() || !$this->user->hasPermission('access', self::ROUTE)) {
			return;
		}
		$this->loadTexts();
		$orderId = (int)($data['order_id'] ?? $this->request->get['order_id'] ?? 0);
		if ($orderId <= 0) {
			return;
		}
		$url = str_replace('&amp;', '&', $this->url->link(self::ROUTE . '.panel', 'user_token=' . $this->session->data['user_token'] . '&order_id=' . $orderId));
		$card = '<div class="card mb-3" id="xero-connector-panel" data-url="' . ViewPatch::e($url) . '">'
			. '<div class="card-header"><i class="fa-solid fa-file-invoice-dollar"></i> ' . ViewPatch::e($this->language->get('xero_panel_title')) . '</div>'
			. '<div class="card-body"><div id="xero-connector-panel-body">' . ViewPatch::e($this->language->get('xero_text_loading')) . '</div>'
			. '<div class="alert d-none mt-3 mb-0" id="xero-connector-result"></div></div></div>';
		$output = ViewPatch::insertBefore($output, '<div class="card mb-3">', $card, 'id="content"');
		$output = ViewPatch::insertBeforeLast($output, '</body>', $this->panelScript());
	}

	/** The product form: a Xero tab with the sales / purchase account overrides. */
	public function eventProductForm(string &$route, array &$data, string &$output): void {
		if (!$this->enabled() || !$this->user->hasPermission('access', self::ROUTE)) {
			return;
		}
		$this->loadTexts();
		$productId = (int)($data['product_id'] ?? $this->request->get['product_id'] ?? 0);
		$url = str_replace('&amp;', '&', $this->url->link(self::ROUTE . '.product', 'user_token=' . $this->session->data['user_token'] . '&product_id=' . $productId));
		$link = '<li class="nav-item"><a href="#tab-xero-connector" data-bs-toggle="tab" class="nav-link" id="xero-connector-tab">' . ViewPatch::e($this->language->get('xero_tab')) . '</a></li>';
		$pane = '<div id="tab-xero-connector" class="tab-pane" data-url="' . ViewPatch::e($url) . '">' . ViewPatch::e($this->language->get('xero_text_loading')) . '</div>';
		$output = ViewPatch::addTab($output, $link, $pane, 'id="form-product"');
		$output = ViewPatch::insertBeforeLast($output, '</body>', $this->productScript());
	}

	// ---- install / uninstall (called by Extensions > Modules) ----

	public function install(): void {
		$this->load->model('setting/event');
		$this->uninstallEvents();
		foreach (self::ADMIN_EVENTS as $code => [$trigger, $method]) {
			$this->addEvent($code, $trigger, self::ROUTE . '.' . $method);
		}
		// 4.1 names model triggers route.method; 4.0 route/method.
		$history = version_compare(VERSION, '4.1.0.0', '>=') ? 'catalog/model/checkout/order.addHistory/after' : 'catalog/model/checkout/order/addHistory/after';
		$this->addEvent('order_history', $history, self::ROUTE . '.eventOrderHistory');
		// The module is on as soon as it is installed; the settings page says what is missing.
		$this->load->model('setting/setting');
		$this->model_setting_setting->editSetting(self::SETTING, ['module_xero_connector_status' => 1, 'module_xero_connector_url' => '', 'module_xero_connector_key' => '', 'module_xero_connector_spa_url' => '']);
	}

	public function uninstall(): void {
		$this->load->model('setting/event');
		$this->uninstallEvents();
		$this->load->model('setting/setting');
		$this->model_setting_setting->deleteSetting(self::SETTING);
	}

	private function addEvent(string $code, string $trigger, string $action): void {
		$this->model_setting_event->addEvent([
			'code' => 'oc_xero_connector_' . $code,
			'description' => 'Xero connector',
			'trigger' => $trigger,
			'action' => $action,
			'status' => 1,
			'sort_order' => 0,
		]);
	}

	private function uninstallEvents(): void {
		foreach (array_merge(array_keys(self::ADMIN_EVENTS), ['order_history']) as $code) {
			$this->model_setting_event->deleteEventByCode('oc_xero_connector_' . $code);
		}
	}

	// ---- helpers ----

	private function orderAction(callable $call, string $successKey): void {
		$this->load->language(self::ROUTE);
		if (!$this->user->hasPermission('modify', self::ROUTE)) {
			$this->json(['error' => $this->language->get('error_permission')]);
			return;
		}
		$ids = [];
		if (isset($this->request->get['order_id'])) {
			$ids[] = (int)$this->request->get['order_id'];
		}
		if (isset($this->request->post['selected']) && is_array($this->request->post['selected'])) {
			$ids = array_merge($ids, $this->request->post['selected']);
		}
		$ids = ApiClient::ids($ids);
		if (!$ids) {
			$this->json(['error' => $this->language->get('xero_error_no_selection')]);
			return;
		}
		try {
			$result = $call($this->client(), $ids);
			$this->json(['success' => sprintf($this->language->get($successKey), count($ids)), 'result' => $result]);
		} catch (ApiException $e) {
			$this->json(['error' => $e->getMessage()]);
		}
	}

	private function client(int $timeoutMs = 8000): ApiClient {
		$log = $this->log;
		return new ApiClient((string)$this->config->get('module_xero_connector_url'), (string)$this->config->get('module_xero_connector_key'), [
			'timeout_ms' => $timeoutMs,
			'logger' => function (string $line) use ($log) { $log->write($line); },
		]);
	}

	private function enabled(): bool {
		return (bool)$this->config->get('module_xero_connector_status');
	}

	/** Loads our texts into a page that is not ours without changing its title. */
	private function loadTexts(): void {
		$title = $this->language->get('heading_title');
		$this->load->language(self::ROUTE);
		$this->language->set('heading_title', $title);
	}

	private function json(array $json): void {
		$this->response->addHeader('Content-Type: application/json');
		$this->response->setOutput(json_encode($json));
	}

	private function bulkScript(): string {
		$none = json_encode($this->language->get('xero_error_no_selection'));
		return <<<HTML
<script type="text/javascript">
$(document).on('click', '[data-xero-bulk]', function (e) {
  e.preventDefault();
  var ids = $('#form-order input[name="selected[]"]:checked').serialize();
  if (!ids) { alert($none); return; }
  $.ajax({ url: $(this).attr('data-xero-bulk'), type: 'post', data: ids, dataType: 'json' }).done(function (json) {
    $('#alert').prepend('<div class="alert alert-' + (json.error ? 'danger' : 'success') + ' alert-dismissible" id="xero-connector-alert"><i class="fa-solid fa-circle-' + (json.error ? 'exclamation' : 'check') + '"></i> ' + $('<div>').text(json.error || json.success).html() + ' <button type="button" class="btn-close" data-bs-dismiss="alert"></button></div>');
    if (!json.error) { $('#order').load($('#form-order').attr('data-oc-load') || $('#form-order').attr('data-load') || location.href); }
  });
});
</script>
HTML;
	}

	private function panelScript(): string {
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
    if (!out.length) { out = $('<div class="alert" id="xero-connector-result"></div>').appendTo('#xero-connector-panel .card-body').first(); }
    b.prop('disabled', true);
    $.ajax({ url: b.attr('data-xero-action'), type: b.attr('data-method') || 'post', dataType: 'json' }).done(function (json) {
      if (json.preview) { out.removeClass('d-none alert-danger').addClass('alert-info').html(xeroConnectorPreview(json.preview)); var xt = $(out).find('#xero-connector-preview-xero-total').text(); if (xt) { $('#xero-connector-xero-total').text(xt + ' (preview)'); } }
      else { out.removeClass('d-none alert-info alert-success alert-danger').addClass(json.error ? 'alert-danger' : 'alert-success').text(json.error || json.success); }
      if (!json.error && !json.preview) { poll(b.is('#xero-connector-sync') ? 13 : 1); }
    }).fail(function (xhr) {
      out.removeClass('d-none alert-info alert-success').addClass('alert-danger').text(xhr.status + ' ' + (xhr.responseText || '').replace(/<[^>]*>/g, '').slice(0, 500));
    }).always(function () { b.prop('disabled', false); });
  });
})();
</script>
HTML);
	}

	private function productScript(): string {
		return <<<'HTML'
<script type="text/javascript">
(function () {
  var pane = $('#tab-xero-connector');
  pane.load(pane.attr('data-url'));
  $(document).on('click', '#xero-connector-product-save', function (e) {
    e.preventDefault();
    var b = $(this), out = $('#xero-connector-product-result');
    $.ajax({ url: b.attr('data-url'), type: 'post', dataType: 'json', data: { xero_sales_account_code: $('#input-xero-sales').val(), xero_purchase_account_code: $('#input-xero-purchase').val() } }).done(function (json) {
      out.removeClass('d-none alert-success alert-danger').addClass(json.error ? 'alert-danger' : 'alert-success').text(json.error || json.success);
    });
  });
})();
</script>
HTML;
	}
}
