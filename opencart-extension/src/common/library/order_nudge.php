<?php
namespace OcXeroConnector;

/** The storefront side (3.x and 4.x): the order event's nudge to the connector. */
trait OrderNudge {
	/**
	 * catalog/model/checkout/order/addOrderHistory/after (3.x), …/order/addHistory/after (4.0),
	 * …/order.addHistory/after (4.1): an order was confirmed or its status changed. Tell the connector
	 * to sync it soon and return at once: at most ~1.5 s even if the connector hangs, nothing thrown,
	 * a failure only logged (the scheduler catches what is missed).
	 */
	public function eventOrderHistory(&$route, &$args, &$output = null) {
		try {
			if (!$this->config->get('module_xero_connector_status')) {
				return;
			}
			$orderId = (int)($args[0] ?? 0);
			$log = $this->log;
			$client = new ApiClient((string)$this->config->get('module_xero_connector_url'), (string)$this->config->get('module_xero_connector_key'), [
				'logger' => function ($line) use ($log) { $log->write($line); },
			]);
			$client->nudgeOrder($orderId, 1500);
		} catch (\Throwable $e) {
			$this->log->write('Xero connector: order event failed: ' . $e->getMessage());
		}
	}
}
