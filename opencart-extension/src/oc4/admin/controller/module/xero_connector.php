<?php
namespace Opencart\Admin\Controller\Extension\OcXeroConnector\Module;

require_once DIR_EXTENSION . 'oc_xero_connector/system/library/api_client.php';
require_once DIR_EXTENSION . 'oc_xero_connector/system/library/view_patch.php';
require_once DIR_EXTENSION . 'oc_xero_connector/system/library/admin_bridge.php';

use OcXeroConnector\AdminBridge;
use OcXeroConnector\ApiClient;

/**
 * The Xero connector in the OpenCart 4 admin: the settings page here, everything else shared with
 * the 3.x package in src/common/admin_bridge.php; this class says what 4.x does differently.
 */
class XeroConnector extends \Opencart\System\Engine\Controller {
	use AdminBridge;

	private const ROUTE = 'extension/oc_xero_connector/module/xero_connector';
	private const SETTING = 'module_xero_connector';

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

		$data['test_script'] = $this->xcTestScript();
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
		$this->xcJson($json);
	}

	// ---- what 4.x does differently (see AdminBridge) ----

	protected function xcRoute(string $method = ''): string {
		return self::ROUTE . ($method !== '' ? '.' . $method : '');
	}

	protected function xcLink(string $route, string $args = ''): string {
		return str_replace('&amp;', '&', $this->url->link($route, 'user_token=' . $this->session->data['user_token'] . ($args !== '' ? '&' . $args : '')));
	}

	protected function xcEvents(): array {
		return [
			'order_list' => ['admin/view/sale/order_list/after', 'eventOrderList'],
			'order_page' => ['admin/view/sale/order/after', 'eventOrderPage'],
			'order_info' => ['admin/view/sale/order_info/after', 'eventOrderInfo'],
			'product_form' => ['admin/view/catalog/product_form/after', 'eventProductForm'],
			// 4.1 names model triggers route.method; 4.0 route/method.
			'order_history' => [version_compare(VERSION, '4.1.0.0', '>=') ? 'catalog/model/checkout/order.addHistory/after' : 'catalog/model/checkout/order/addHistory/after', 'eventOrderHistory'],
		];
	}

	protected function xcAddEvent(string $code, string $trigger, string $action): void {
		$this->model_setting_event->addEvent(['code' => $code, 'description' => 'Xero connector', 'trigger' => $trigger, 'action' => $action, 'status' => 1, 'sort_order' => 0]);
	}

	/** Bootstrap 5 markup of the 4.x admin. */
	protected function xcUi(): array {
		return [
			'hidden' => 'd-none',
			'toggle' => 'data-bs-toggle',
			'table' => 'table table-sm',
			'btn' => 'btn btn-light',
			'row' => 'row mb-3',
			'label' => 'col-sm-2 col-form-label',
			'select' => 'form-select',
			'offset' => 'col-sm-10 offset-sm-2',
			'icon' => ['link' => 'fa-solid fa-up-right-from-square', 'sync' => 'fa-solid fa-rotate', 'preview' => 'fa-solid fa-eye', 'save' => 'fa-solid fa-save'],
			'badge' => ['exported' => 'badge bg-success', 'failed' => 'badge bg-danger', 'pending' => 'badge bg-warning text-dark', 'marked' => 'badge bg-info text-dark', 'removed' => 'badge bg-secondary', 'not_exported' => 'badge bg-light text-dark border'],
			'list_head' => '<th class="xero-connector-col">%s</th>',
			'list_cell' => 'xero-connector-col',
			'bulk_in_list' => false,
			'bulk_at' => ['<div class="float-end">', 'id="content"'],
			'bulk_menu' => '<div class="btn-group" id="xero-connector-bulk"><button type="button" class="btn btn-outline-primary dropdown-toggle" data-bs-toggle="dropdown" aria-expanded="false">%s</button><ul class="dropdown-menu dropdown-menu-end">%s</ul></div> ',
			'bulk_item' => '<li><a href="#" class="dropdown-item" data-xero-bulk="%1$s" id="xero-connector-bulk-%2$s">%3$s</a></li>',
			'alert_into' => '#alert',
			'panel' => '<div class="card mb-3" id="xero-connector-panel" data-url="%1$s"><div class="card-header"><i class="fa-solid fa-file-invoice-dollar"></i> %2$s</div><div class="card-body"><div id="xero-connector-panel-body">%3$s</div><div class="alert d-none mt-3 mb-0" id="xero-connector-result"></div></div></div>',
			'panel_at' => ['before', '<div class="card mb-3">', 'id="content"'],
			'panel_body' => '.card-body',
			'tab_link' => '<li class="nav-item"><a href="#tab-xero-connector" data-bs-toggle="tab" class="nav-link" id="xero-connector-tab">%s</a></li>',
		];
	}
}
