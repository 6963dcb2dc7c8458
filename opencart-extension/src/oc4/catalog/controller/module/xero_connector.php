<?php
namespace Opencart\Catalog\Controller\Extension\OcXeroConnector\Module;

require_once DIR_EXTENSION . 'oc_xero_connector/system/library/api_client.php';
require_once DIR_EXTENSION . 'oc_xero_connector/system/library/order_nudge.php';

/** The storefront side of the 4.x package: the order event (src/common/order_nudge.php). */
class XeroConnector extends \Opencart\System\Engine\Controller {
	use \OcXeroConnector\OrderNudge;
}
