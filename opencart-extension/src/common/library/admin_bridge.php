<?php
namespace OcXeroConnector;

/**
 * The Xero connector in the OpenCart admin, for 3.x and 4.x alike: the order panel, the order list's
 * column and bulk actions, the product tab, install / uninstall. Thin on purpose: every action is one
 * call to the connector's API made by PHP on the server with the stored key (the key never reaches a
 * browser); the rules stay in the API.
 *
 * Each release's controller (src/oc3, src/oc4) uses this trait and says only what differs between
 * the releases: its route, its links, its events and its markup (Bootstrap 3 vs 5), see ui().
 */
trait AdminBridge {
	/** The module's route, or one of its methods ('' = the module itself, the permission route). */
	abstract protected function xcRoute(string $method = ''): string;

	/** An admin URL with the session's token, '&' not '&amp;' (for data attributes and scripts). */
	abstract protected function xcLink(string $route, string $args = ''): string;

	/** code => [trigger, method]: the events install() registers. */
	abstract protected function xcEvents(): array;

	abstract protected function xcAddEvent(string $code, string $trigger, string $action): void;

	/** The release's markup: classes, icons and the places our additions go (see src/oc3, src/oc4). */
	abstract protected function xcUi(): array;

	// ---- actions (routes of the module) ----

	/** Test connection: the service's health and the Xero organisation, asked by the server. */
	public function test() {
		if (!$this->xcAllowed('access')) {
			return;
		}
		try {
			$r = $this->xcClient()->testConnection();
			$xero = $r['xero'];
			$this->xcJson([
				'success' => $this->language->get('xero_text_connection_ok'),
				'organisation' => (string)($xero['organisationName'] ?? $xero['tenantName'] ?? $xero['organisation']['tenantName'] ?? $xero['organisation']['name'] ?? ''),
				'health' => (string)($r['health']['status'] ?? ''),
				'connected' => !empty($xero['connected']),
				'xero' => $xero,
			]);
		} catch (ApiException $e) {
			$this->xcJson(['error' => $e->getMessage()]);
		}
	}

	/**
	 * The order page's panel (loaded after the page so a slow connector never slows the page): the
	 * order's sync state, and what Xero holds — the invoice (number, status, total posted vs the
	 * OpenCart total, paid, due), its payments and credit notes with links.
	 */
	public function panel() {
		$this->load->language($this->xcRoute());
		$orderId = (int)($this->request->get['order_id'] ?? 0);
		$data = ['order_id' => $orderId, 'error' => '', 'xero_error' => '', 'ui' => $this->xcUi(), 'invoice' => null, 'payments' => [], 'credit_notes' => []];
		if (!$this->user->hasPermission('access', $this->xcRoute())) {
			$data['error'] = $this->language->get('xero_error_access');
			$this->response->setOutput($this->load->view($this->xcRoute() . '_panel', $data));
			return;
		}
		$this->load->model('sale/order');
		$order = $this->model_sale_order->getOrder($orderId);
		$currency = $order ? (string)$order['currency_code'] : '';
		$money = function ($amount, $code = null) use ($currency) {
			return $amount === null || $amount === '' ? '' : $this->currency->format((float)$amount, $code ?: $currency, 1.0);
		};
		$data['opencart_total'] = $order ? $this->currency->format((float)$order['total'], $order['currency_code'], (float)$order['currency_value']) : '';
		try {
			$client = $this->xcClient(4000);
			$state = $client->orderStatus($orderId);
			$data['label'] = ApiClient::orderLabel($state);
			$data['label_text'] = $this->language->get('xero_status_' . $data['label']['code']);
			$sync = $state['sync'] ?? [];
			$data['invoice_number'] = (string)($sync['invoiceNumber'] ?? '');
			$data['xero_url'] = (string)($sync['xeroUrl'] ?? '');
			$data['last_error'] = (string)($sync['error'] ?? '');
			$data['updated_at'] = (string)($sync['updatedAt'] ?? '');
			$data['marked'] = !empty($state['marked']);
			$xero = $client->orderXero($orderId);
			$data['xero_error'] = (string)($xero['xeroError'] ?? '');
			if (!empty($xero['invoice'])) {
				$inv = $xero['invoice'];
				$code = (string)($inv['currencyCode'] ?? $currency);
				$data['invoice'] = [
					'number' => (string)$inv['number'],
					'status' => (string)$inv['status'],
					'url' => (string)$inv['url'],
					'total' => $money($inv['total'], $code),
					'paid' => $money($inv['amountPaid'], $code),
					'due' => $money($inv['amountDue'], $code),
					'difference' => (string)$inv['difference'],
					'matches' => round((float)$inv['difference'], 2) == 0.0,
				];
				foreach ($xero['payments'] ?? [] as $p) {
					$data['payments'][] = ['amount' => $money($p['amount'], $code), 'url' => (string)$p['url']];
				}
				foreach ($xero['creditNotes'] ?? [] as $c) {
					$data['credit_notes'][] = ['number' => (string)($c['number'] ?? ''), 'total' => $money($c['total'], $code), 'applied' => $money($c['applied'], $code), 'url' => (string)$c['url']];
				}
			}
		} catch (ApiException $e) {
			$data['error'] = $e->getMessage();
		}
		foreach (['sync', 'preview', 'mark', 'unmark'] as $action) {
			$data['url_' . $action] = $this->xcLink($this->xcRoute($action), 'order_id=' . $orderId);
		}
		$data['can_modify'] = $this->user->hasPermission('modify', $this->xcRoute());
		$this->response->setOutput($this->load->view($this->xcRoute() . '_panel', $data));
	}

	public function sync() {
		$this->xcOrderAction(function (ApiClient $c, array $ids) {
			return count($ids) === 1 ? $c->syncOrder($ids[0]) : $c->syncOrders($ids);
		}, 'xero_text_sync_queued');
	}

	public function mark() {
		$this->xcOrderAction(function (ApiClient $c, array $ids) {
			return $c->markOrders($ids);
		}, 'xero_text_marked');
	}

	public function unmark() {
		$this->xcOrderAction(function (ApiClient $c, array $ids) {
			return $c->unmarkOrders($ids);
		}, 'xero_text_unmarked');
	}

	public function preview() {
		if (!$this->xcAllowed('access')) {
			return;
		}
		try {
			$this->xcJson(['preview' => $this->xcClient(15000)->previewOrder((int)($this->request->get['order_id'] ?? 0))]);
		} catch (ApiException $e) {
			$this->xcJson(['error' => $e->getMessage()]);
		}
	}

	/** The product form's Xero tab: the organisation's accounts and this product's override. */
	public function product() {
		$this->load->language($this->xcRoute());
		$productId = (int)($this->request->get['product_id'] ?? 0);
		$data = ['product_id' => $productId, 'error' => '', 'ui' => $this->xcUi(), 'sales' => [], 'purchase' => [], 'override' => ['salesAccountCode' => null, 'purchaseAccountCode' => null]];
		$data['url_save'] = $this->xcLink($this->xcRoute('productSave'), 'product_id=' . $productId);
		$data['can_modify'] = $this->user->hasPermission('modify', $this->xcRoute());
		if (!$this->user->hasPermission('access', $this->xcRoute())) {
			$data['error'] = $this->language->get('xero_error_access');
		} elseif ($productId > 0) {
			try {
				$client = $this->xcClient();
				[$data['sales'], $data['purchase']] = ApiClient::accountChoices($client->accounts());
				$data['override'] = $client->productOverride($productId);
			} catch (ApiException $e) {
				$data['error'] = $e->getMessage();
			}
		}
		$this->response->setOutput($this->load->view($this->xcRoute() . '_product', $data));
	}

	public function productSave() {
		if (!$this->xcAllowed('modify')) {
			return;
		}
		$productId = (int)($this->request->get['product_id'] ?? 0);
		try {
			$saved = $this->xcClient()->setProductOverride($productId, $this->request->post['xero_sales_account_code'] ?? null, $this->request->post['xero_purchase_account_code'] ?? null);
			$this->xcJson(['success' => $this->language->get('xero_text_product_saved'), 'override' => $saved]);
		} catch (ApiException $e) {
			$this->xcJson(['error' => $e->getMessage()]);
		}
	}

	// ---- view events: add to OpenCart's own pages (only for users with access to the module) ----

	/** The order list: one column, filled for the whole page by ONE call to the API (3.x: also the bulk menu). */
	public function eventOrderList(&$route, &$data, &$output) {
		if (!$this->xcVisible()) {
			return;
		}
		$ui = $this->xcUi();
		if (!empty($data['orders'])) {
			$ids = array_map(function ($o) { return (int)$o['order_id']; }, $data['orders']);
			$states = [];
			$error = '';
			try {
				$states = $this->xcClient(3000)->orderStatuses($ids);
			} catch (ApiException $e) {
				$error = $e->getMessage();
			}
			$head = sprintf($ui['list_head'], ViewPatch::e($this->language->get('xero_column')));
			$output = ViewPatch::orderListColumn($output, $head, function ($id) use ($states, $error, $ui) {
				$td = '<td class="' . $ui['list_cell'] . '" data-order-id="' . (int)$id . '"';
				if ($error !== '') {
					return $td . '><span class="' . $ui['badge']['not_exported'] . '" title="' . ViewPatch::e($error) . '">?</span></td>';
				}
				$l = ApiClient::orderLabel($states[$id] ?? null);
				$text = $this->language->get('xero_status_' . $l['code']) . ($l['text'] !== '' ? ' ' . $l['text'] : '');
				$title = $l['title'] !== '' ? ' title="' . ViewPatch::e($l['title']) . '" ' . $ui['toggle'] . '="tooltip"' : '';
				return $td . ' data-xero-status="' . $l['code'] . '"><span class="' . $ui['badge'][$l['code']] . '"' . $title . '>' . ViewPatch::e($text) . '</span></td>';
			});
		}
		if ($ui['bulk_in_list']) {
			$output = $this->xcBulkMenu($output);
		}
	}

	/** 4.x: the order list page around the list (the list itself is loaded into it): the bulk menu. */
	public function eventOrderPage(&$route, &$data, &$output) {
		if ($this->xcVisible()) {
			$output = $this->xcBulkMenu($output);
		}
	}

	/** The order page: the Xero panel, loaded from panel() once the page is shown. */
	public function eventOrderInfo(&$route, &$data, &$output) {
		$orderId = (int)($data['order_id'] ?? $this->request->get['order_id'] ?? 0);
		if ($orderId <= 0 || !$this->xcVisible()) {
			return;
		}
		$ui = $this->xcUi();
		$url = $this->xcLink($this->xcRoute('panel'), 'order_id=' . $orderId);
		$card = sprintf($ui['panel'], ViewPatch::e($url), ViewPatch::e($this->language->get('xero_panel_title')), ViewPatch::e($this->language->get('xero_text_loading')));
		[$where, $needle, $scope] = $ui['panel_at'];
		$output = $where === 'after' ? ViewPatch::insertAfter($output, $needle, $card, $scope) : ViewPatch::insertBefore($output, $needle, $card, $scope);
		$output = ViewPatch::insertBeforeLast($output, '</body>', $this->xcPanelScript());
	}

	/** The product form: a Xero tab with the sales / purchase account overrides. */
	public function eventProductForm(&$route, &$data, &$output) {
		if (!$this->xcVisible()) {
			return;
		}
		$ui = $this->xcUi();
		$productId = (int)($data['product_id'] ?? $this->request->get['product_id'] ?? 0);
		$url = $this->xcLink($this->xcRoute('product'), 'product_id=' . $productId);
		$link = sprintf($ui['tab_link'], ViewPatch::e($this->language->get('xero_tab')));
		$pane = '<div id="tab-xero-connector" class="tab-pane" data-url="' . ViewPatch::e($url) . '">' . ViewPatch::e($this->language->get('xero_text_loading')) . '</div>';
		$output = ViewPatch::addTab($output, $link, $pane, 'id="form-product"');
		$output = ViewPatch::insertBeforeLast($output, '</body>', $this->xcProductScript());
	}

	// ---- install / uninstall (called by Extensions > Modules) ----

	public function install() {
		$this->load->model('setting/event');
		$this->xcDeleteEvents();
		foreach ($this->xcEvents() as $code => [$trigger, $method]) {
			$this->xcAddEvent('oc_xero_connector_' . $code, $trigger, $this->xcRoute($method));
		}
		// The module is on as soon as it is installed; the settings page says what is missing.
		$this->load->model('setting/setting');
		$this->model_setting_setting->editSetting('module_xero_connector', ['module_xero_connector_status' => 1, 'module_xero_connector_url' => '', 'module_xero_connector_key' => '', 'module_xero_connector_spa_url' => '']);
	}

	/**
	 * Leaves the store as it was: our events and settings, and the module's permission in every user
	 * group (OpenCart 4 leaves granted permissions behind; 3.x removes them too, after this).
	 */
	public function uninstall() {
		$this->load->model('setting/event');
		$this->xcDeleteEvents();
		$this->load->model('setting/setting');
		$this->model_setting_setting->deleteSetting('module_xero_connector');
		$this->load->model('user/user_group');
		$route = $this->xcRoute();
		foreach ($this->model_user_user_group->getUserGroups(['start' => 0, 'limit' => 100000]) as $group) {
			$permission = json_decode((string)$group['permission'], true);
			if (!is_array($permission)) {
				continue;
			}
			$changed = false;
			foreach (['access', 'modify'] as $type) {
				if (isset($permission[$type]) && is_array($permission[$type]) && in_array($route, $permission[$type], true)) {
					$permission[$type] = array_values(array_diff($permission[$type], [$route]));
					$changed = true;
				}
			}
			if ($changed) {
				$this->model_user_user_group->editUserGroup((int)$group['user_group_id'], ['name' => $group['name'], 'permission' => $permission]);
			}
		}
	}

	private function xcDeleteEvents(): void {
		foreach (array_keys($this->xcEvents()) as $code) {
			$this->model_setting_event->deleteEventByCode('oc_xero_connector_' . $code);
		}
	}

	// ---- helpers ----

	/** The settings page's Test connection script (the page itself is the release's own). */
	protected function xcTestScript(): string {
		return $this->load->view($this->xcRoute() . '_test', ['ui' => $this->xcUi()]);
	}

	/** Loads the module's texts; false (and a JSON error) without the permission. */
	private function xcAllowed(string $type): bool {
		$this->load->language($this->xcRoute());
		if ($this->user->hasPermission($type, $this->xcRoute())) {
			return true;
		}
		$this->xcJson(['error' => $this->language->get($type === 'access' ? 'xero_error_access' : 'error_permission')]);
		return false;
	}

	/** Whether to add to a page that is not ours: enabled, and the user may see the module. Loads our texts. */
	private function xcVisible(): bool {
		if (!$this->config->get('module_xero_connector_status') || !$this->user->hasPermission('access', $this->xcRoute())) {
			return false;
		}
		// Our texts in a page that is not ours, without changing its title.
		$title = $this->language->get('heading_title');
		$this->load->language($this->xcRoute());
		$this->language->set('heading_title', $title);
		return true;
	}

	private function xcOrderAction(callable $call, string $successKey): void {
		if (!$this->xcAllowed('modify')) {
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
			$this->xcJson(['error' => $this->language->get('xero_error_no_selection')]);
			return;
		}
		try {
			$result = $call($this->xcClient(), $ids);
			$this->xcJson(['success' => sprintf($this->language->get($successKey), count($ids)), 'result' => $result]);
		} catch (ApiException $e) {
			$this->xcJson(['error' => $e->getMessage()]);
		}
	}

	protected function xcClient(int $timeoutMs = 8000): ApiClient {
		$log = $this->log;
		return new ApiClient((string)$this->config->get('module_xero_connector_url'), (string)$this->config->get('module_xero_connector_key'), [
			'timeout_ms' => $timeoutMs,
			'logger' => function ($line) use ($log) { $log->write($line); },
		]);
	}

	protected function xcJson(array $json): void {
		$this->response->addHeader('Content-Type: application/json');
		$this->response->setOutput(json_encode($json));
	}

	/** Bulk Mark / Unmark / Sync of the selected orders, for users who may modify. */
	private function xcBulkMenu(string $output): string {
		if (!$this->user->hasPermission('modify', $this->xcRoute())) {
			return $output;
		}
		$ui = $this->xcUi();
		$items = '';
		foreach (['mark' => 'xero_button_mark_selected', 'unmark' => 'xero_button_unmark_selected', 'sync' => 'xero_button_sync_selected'] as $a => $t) {
			$items .= sprintf($ui['bulk_item'], ViewPatch::e($this->xcLink($this->xcRoute($a))), $a, ViewPatch::e($this->language->get($t)));
		}
		$menu = sprintf($ui['bulk_menu'], ViewPatch::e($this->language->get('xero_button_bulk')), $items);
		[$needle, $scope] = $ui['bulk_at'];
		$output = ViewPatch::insertAfter($output, $needle, $menu, $scope);
		return ViewPatch::insertBeforeLast($output, '</body>', $this->xcBulkScript());
	}

	private function xcBulkScript(): string {
		$none = json_encode($this->language->get('xero_error_no_selection'));
		$into = json_encode($this->xcUi()['alert_into']);
		return <<<HTML
<script type="text/javascript">
$(document).on('click', '[data-xero-bulk]', function (e) {
  e.preventDefault();
  var ids = $('#form-order input[name="selected[]"]:checked').serialize();
  if (!ids) { alert($none); return; }
  $.ajax({ url: $(this).attr('data-xero-bulk'), type: 'post', data: ids, dataType: 'json' }).done(function (json) {
    $($into).first().prepend($('<div class="alert alert-' + (json.error ? 'danger' : 'success') + '" id="xero-connector-alert"></div>').text(json.error || json.success));
    if (json.error) { return; }
    // 4.x loads the list into #order; 3.x renders it with the page.
    var list = $('#form-order').attr('data-oc-load') || $('#form-order').attr('data-load');
    if ($('#order').length && list) { $('#order').load(list); } else { setTimeout(function () { location.reload(); }, 1500); }
  });
});
</script>
HTML;
	}

	private function xcPanelScript(): string {
		$ui = $this->xcUi();
		return strtr(<<<'HTML'
<script type="text/javascript">
/*XERO_PREVIEW*/
(function () {
  var panel = $('#xero-connector-panel'), hidden = '/*HIDDEN*/';
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
    if (!out.length) { out = $('<div class="alert" id="xero-connector-result"></div>').appendTo('#xero-connector-panel /*BODY*/').first(); }
    b.prop('disabled', true);
    $.ajax({ url: b.attr('data-xero-action'), type: b.attr('data-method') || 'post', dataType: 'json' }).done(function (json) {
      if (json.preview) { out.removeClass(hidden + ' alert-danger').addClass('alert-info').html(xeroConnectorPreview(json.preview)); var xt = $(out).find('#xero-connector-preview-xero-total').text(); if (xt) { $('#xero-connector-xero-total').text(xt + ' (preview)'); } }
      else { out.removeClass(hidden + ' alert-info alert-success alert-danger').addClass(json.error ? 'alert-danger' : 'alert-success').text(json.error || json.success); }
      if (!json.error && !json.preview) { poll(b.is('#xero-connector-sync') ? 13 : 1); }
    }).fail(function (xhr) {
      out.removeClass(hidden + ' alert-info alert-success').addClass('alert-danger').text(xhr.status + ' ' + (xhr.responseText || '').replace(/<[^>]*>/g, '').slice(0, 500));
    }).always(function () { b.prop('disabled', false); });
  });
})();
</script>
HTML, ['/*XERO_PREVIEW*/' => ViewPatch::previewScript(), '/*HIDDEN*/' => $ui['hidden'], '/*BODY*/' => $ui['panel_body']]);
	}

	private function xcProductScript(): string {
		return str_replace('/*HIDDEN*/', $this->xcUi()['hidden'], <<<'HTML'
<script type="text/javascript">
(function () {
  var pane = $('#tab-xero-connector');
  pane.load(pane.attr('data-url'));
  $(document).on('click', '#xero-connector-product-save', function (e) {
    e.preventDefault();
    var b = $(this), out = $('#xero-connector-product-result');
    $.ajax({ url: b.attr('data-url'), type: 'post', dataType: 'json', data: { xero_sales_account_code: $('#input-xero-sales').val(), xero_purchase_account_code: $('#input-xero-purchase').val() } }).done(function (json) {
      out.removeClass('/*HIDDEN*/ alert-success alert-danger').addClass(json.error ? 'alert-danger' : 'alert-success').text(json.error || json.success);
    });
  });
})();
</script>
HTML);
	}
}
