<?php
require_once DIR_SYSTEM . 'library/oc_xero_connector/api_client.php';
require_once DIR_SYSTEM . 'library/oc_xero_connector/view_patch.php';
require_once DIR_SYSTEM . 'library/oc_xero_connector/admin_bridge.php';

use OcXeroConnector\AdminBridge;
use OcXeroConnector\ApiClient;

/**
 * The Xero connector in the OpenCart 3 admin: the settings page here, everything else shared with
 * the 4.x package in src/common/admin_bridge.php; this class says what 3.x does differently.
 */
class ControllerExtensionModuleXeroConnector extends Controller {
	use AdminBridge;

	const ROUTE = 'extension/module/xero_connector';
	const SETTING = 'module_xero_connector';

	private $error = array();

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

		$data['test_script'] = $this->xcTestScript();
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

	// ---- what 3.x does differently (see AdminBridge) ----

	protected function xcRoute(string $method = ''): string {
		return self::ROUTE . ($method !== '' ? '/' . $method : '');
	}

	protected function xcLink(string $route, string $args = ''): string {
		return str_replace('&amp;', '&', $this->url->link($route, 'user_token=' . $this->session->data['user_token'] . ($args !== '' ? '&' . $args : ''), true));
	}

	protected function xcEvents(): array {
		return array(
			'order_list' => array('admin/view/sale/order_list/after', 'eventOrderList'),
			'order_info' => array('admin/view/sale/order_info/after', 'eventOrderInfo'),
			'product_form' => array('admin/view/catalog/product_form/after', 'eventProductForm'),
			'order_history' => array('catalog/model/checkout/order/addOrderHistory/after', 'eventOrderHistory'),
		);
	}

	protected function xcAddEvent(string $code, string $trigger, string $action): void {
		$this->model_setting_event->addEvent($code, $trigger, $action);
	}

	/** Bootstrap 3 markup of the 3.x admin. */
	protected function xcUi(): array {
		return array(
			'hidden' => 'hidden',
			'toggle' => 'data-toggle',
			'table' => 'table table-condensed',
			'btn' => 'btn btn-default',
			'row' => 'form-group',
			'label' => 'col-sm-2 control-label',
			'select' => 'form-control',
			'offset' => 'col-sm-10 col-sm-offset-2',
			'icon' => array('link' => 'fa fa-external-link', 'sync' => 'fa fa-refresh', 'preview' => 'fa fa-eye', 'save' => 'fa fa-save'),
			'badge' => array('exported' => 'label label-success', 'failed' => 'label label-danger', 'pending' => 'label label-warning', 'marked' => 'label label-info', 'removed' => 'label label-default', 'not_exported' => 'label label-default'),
			'list_head' => '<td class="text-left xero-connector-col">%s</td>',
			'list_cell' => 'text-left xero-connector-col',
			// The 3.x order list is one template: the bulk menu goes in with the column.
			'bulk_in_list' => true,
			'bulk_at' => array('<div class="pull-right">', 'id="content"'),
			'bulk_menu' => '<div class="btn-group" id="xero-connector-bulk"><button type="button" class="btn btn-default dropdown-toggle" data-toggle="dropdown">%s <span class="caret"></span></button><ul class="dropdown-menu dropdown-menu-right">%s</ul></div> ',
			'bulk_item' => '<li><a href="#" data-xero-bulk="%1$s" id="xero-connector-bulk-%2$s">%3$s</a></li>',
			'alert_into' => '#content > .container-fluid',
			'panel' => '<div class="panel panel-default" id="xero-connector-panel" data-url="%1$s"><div class="panel-heading"><h3 class="panel-title"><i class="fa fa-file-text-o"></i> %2$s</h3></div><div class="panel-body"><div id="xero-connector-panel-body">%3$s</div><div class="alert hidden" id="xero-connector-result" style="margin: 15px 0 0;"></div></div></div>',
			'panel_at' => array('after', '<div class="container-fluid">', 'class="breadcrumb"'),
			'panel_body' => '.panel-body',
			'tab_link' => '<li><a href="#tab-xero-connector" data-toggle="tab" id="xero-connector-tab">%s</a></li>',
		);
	}
}
