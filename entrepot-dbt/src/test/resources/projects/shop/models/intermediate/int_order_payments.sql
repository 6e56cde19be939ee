with orders as (
    select * from {{ ref('stg_orders') }}
),

payments as (
    select * from {{ ref('int_payment_methods') }}
)

select
    orders.*,
    coalesce(payments.card_amount + payments.voucher_amount + payments.transfer_amount, 0) as amount,
    coalesce(payments.voucher_amount, 0) as voucher_amount
from orders
left join payments using (order_id)
