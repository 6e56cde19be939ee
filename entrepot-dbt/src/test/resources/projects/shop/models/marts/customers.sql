select
    customers.customer_id,
    customers.full_name,
    customers.city,
    count(orders.order_id) as order_count,
    coalesce(sum(orders.amount) filter (where orders.status = 'completed'), 0) as lifetime_value,
    min(orders.order_date) as first_order_date
from {{ ref('stg_customers') }} as customers
left join {{ ref('orders') }} as orders using (customer_id)
group by 1, 2, 3
