select
    order_id,
    customer_id,
    order_date,
    status,
    amount,
    {{ shop_utils.safe_divide('voucher_amount', 'amount') }} as voucher_share,
    '{{ var("currency") }}' as currency
from {{ ref('int_order_payments') }}
