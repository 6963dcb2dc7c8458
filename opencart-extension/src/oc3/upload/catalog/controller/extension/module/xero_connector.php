<?php
require_once DIR_SYSTEM . 'library/oc_xero_connector/api_client.php';
require_once DIR_SYSTEM . 'library/oc_xero_connector/order_nudge.php';

/** The storefront side of the 3.x package: the order event (src/common/order_nudge.php). */
class ControllerExtensionModuleXeroConnector extends Controller {
	use \OcXeroConnector\OrderNudge;
}
