0000000000093060 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)>:
   93060:	push   %rbp
   93061:	mov    %rsi,%r10
   93064:	vmovq  %rdi,%xmm26
   9306a:	mov    %rsp,%rbp
   9306d:	push   %r15
   9306f:	push   %r14
   93071:	push   %r13
   93073:	push   %r12
   93075:	push   %rbx
   93076:	mov    %rdx,%rbx
   93079:	mov    %rcx,%r13
   9307c:	and    $0xffffffffffffffc0,%rsp
   93080:	mov    %rbx,%rcx
   93083:	sub    $0x48,%rsp
   93087:	mov    %rdx,-0x20(%rsp)
   9308c:	sar    $0x3f,%rdx
   93090:	mov    %rsi,(%rsp)
   93094:	mov    %rbx,%rsi
   93097:	shr    $0x3c,%rdx
   9309b:	add    %rdx,%rcx
   9309e:	and    $0xf,%ecx
   930a1:	sub    %rdx,%rcx
   930a4:	sub    %rcx,%rsi
   930a7:	mov    %rcx,%rdi
   930aa:	mov    %rcx,-0x38(%rsp)
   930af:	mov    %rsi,-0x30(%rsp)
   930b4:	test   %r10,%r10
   930b7:	jle    93621 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x5c1>
   930bd:	mov    %rbx,%rcx
   930c0:	mov    $0x1,%edx
   930c5:	mov    %rdi,%rbx
   930c8:	lea    0x0(,%rsi,4),%rdi
   930d0:	shlx   %ebx,%edx,%edx
   930d5:	vmovq  %rdi,%xmm29
   930db:	vmovdqa32 0xad39b(%rip),%zmm24        # 140480 <(anonymous namespace)::kBlock+0x200>
   930e5:	mov    %r8,%r12
   930e8:	dec    %edx
   930ea:	add    %r13,%rdi
   930ed:	xor    %r11d,%r11d
   930f0:	vxorps %xmm23,%xmm23,%xmm23
   930f6:	movzwl %dx,%ebx
   930f9:	lea    (%rsi,%rcx,1),%rdx
   930fd:	vmovq  %rdi,%xmm30
   93103:	vxorps %xmm4,%xmm4,%xmm4
   93107:	lea    (%r9,%rdx,4),%rsi
   9310b:	add    %rcx,%rdx
   9310e:	kmovd  %ebx,%k1
   93112:	vmovq  %xmm29,%rbx
   93118:	mov    %rsi,-0x50(%rsp)
   9311d:	lea    (%r9,%rdx,4),%rsi
   93121:	add    %rcx,%rdx
   93124:	add    %r8,%rbx
   93127:	mov    %rsi,-0x58(%rsp)
   9312c:	lea    (%r9,%rdx,4),%rsi
   93130:	vmovq  %rbx,%xmm31
   93136:	vmovq  %xmm29,%rbx
   9313c:	vmovq  %rsi,%xmm27
   93142:	mov    0x20(%rbp),%rsi
   93146:	add    %r9,%rbx
   93149:	mov    %rbx,-0x48(%rsp)
   9314e:	mov    %rcx,%rbx
   93151:	mov    0x28(%rbp),%rcx
   93155:	vmovq  %xmm27,-0x60(%rsp)
   9315d:	lea    0x0(,%rbx,4),%r8
   93165:	lea    0x8(%rsp),%rbx
   9316a:	lea    (%r9,%r8,1),%r15
   9316e:	mov    %rbx,-0x40(%rsp)
   93173:	mov    %r9,%rbx
   93176:	mov    %r12,%r9
   93179:	mov    %rsi,-0x8(%rsp)
   9317e:	mov    0x18(%rbp),%rsi
   93182:	lea    (%r15,%r8,1),%r14
   93186:	mov    %rbx,%r12
   93189:	add    %r14,%r8
   9318c:	mov    (%rsp),%rdx
   93190:	mov    $0x3,%r10d
   93196:	mov    $0x1,%edi
   9319b:	vmovq  %xmm26,%rax
   931a1:	vmovq  %r11,%xmm1
   931a6:	sub    %r11,%rdx
   931a9:	cmp    %r10,%rdx
   931ac:	cmovg  %r10,%rdx
   931b0:	mov    (%rax,%r11,8),%r10
   931b4:	mov    %edx,-0xc(%rsp)
   931b8:	dec    %edx
   931ba:	test   %edx,%edx
   931bc:	cmovle %edx,%edi
   931bf:	movslq %edx,%rdx
   931c2:	movslq %edi,%rdi
   931c5:	add    %r11,%rdx
   931c8:	add    %r11,%rdi
   931cb:	add    $0x3,%r11
   931cf:	mov    (%rax,%rdi,8),%rbx
   931d3:	mov    (%rax,%rdx,8),%rdi
   931d7:	vmovq  %xmm1,%rax
   931dc:	mov    %r11,-0x18(%rsp)
   931e1:	add    $0x6,%rax
   931e5:	vmovq  %rax,%xmm0
   931ea:	cmp    %r11,(%rsp)
   931ee:	jg     93630 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x5d0>
   931f4:	inc    %r11
   931f7:	vmovq  %xmm0,%rax
   931fc:	cmp    %rax,%r11
   931ff:	jne    931ea <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x18a>
   93201:	mov    -0x30(%rsp),%rax
   93206:	vxorps %xmm0,%xmm0,%xmm0
   9320a:	mov    -0x18(%rsp),%r11
   9320f:	vmovaps %zmm0,%zmm2
   93215:	vmovaps %zmm0,%zmm1
   9321b:	vmovaps %zmm0,%zmm3
   93221:	vmovaps %zmm0,%zmm8
   93227:	vmovaps %zmm0,%zmm11
   9322d:	vmovaps %zmm0,%zmm9
   93233:	vmovaps %zmm0,%zmm12
   93239:	vmovaps %zmm0,%zmm10
   9323f:	vmovaps %zmm0,%zmm13
   93245:	vmovaps %zmm0,%zmm5
   9324b:	vmovaps %zmm0,%zmm14
   93251:	vmovaps %zmm0,%zmm7
   93257:	vmovaps %zmm0,%zmm15
   9325d:	vmovaps %zmm0,%zmm6
   93263:	test   %rax,%rax
   93266:	jle    93325 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x2c5>
   9326c:	xor    %edx,%edx
   9326e:	xchg   %ax,%ax
   93270:	vmovups (%r10,%rdx,4),%zmm28
   93277:	vmovups (%rbx,%rdx,4),%zmm27
   9327e:	vsubps 0x0(%r13,%rdx,4),%zmm28,%zmm18
   93286:	vmovups (%rdi,%rdx,4),%zmm19
   9328d:	vmulps (%r9,%rdx,4),%zmm18,%zmm16
   93294:	vfmadd231ps (%r12,%rdx,4),%zmm16,%zmm15
   9329b:	vfmadd231ps (%r15,%rdx,4),%zmm16,%zmm7
   932a2:	vfmadd231ps (%r14,%rdx,4),%zmm16,%zmm14
   932a9:	vfmadd231ps (%r8,%rdx,4),%zmm16,%zmm5
   932b0:	vfmadd231ps %zmm16,%zmm18,%zmm6
   932b6:	vsubps 0x0(%r13,%rdx,4),%zmm27,%zmm18
   932be:	vmulps (%r9,%rdx,4),%zmm18,%zmm16
   932c5:	vfmadd231ps (%r12,%rdx,4),%zmm16,%zmm10
   932cc:	vfmadd231ps (%r15,%rdx,4),%zmm16,%zmm12
   932d3:	vfmadd231ps (%r14,%rdx,4),%zmm16,%zmm9
   932da:	vfmadd231ps (%r8,%rdx,4),%zmm16,%zmm11
   932e1:	vfmadd231ps %zmm16,%zmm18,%zmm13
   932e7:	vsubps 0x0(%r13,%rdx,4),%zmm19,%zmm18
   932ef:	vmulps (%r9,%rdx,4),%zmm18,%zmm16
   932f6:	vfmadd231ps (%r12,%rdx,4),%zmm16,%zmm3
   932fd:	vfmadd231ps (%r15,%rdx,4),%zmm16,%zmm1
   93304:	vfmadd231ps (%r14,%rdx,4),%zmm16,%zmm2
   9330b:	vfmadd231ps (%r8,%rdx,4),%zmm16,%zmm0
   93312:	add    $0x10,%rdx
   93316:	vfmadd231ps %zmm16,%zmm18,%zmm8
   9331c:	cmp    %rdx,%rax
   9331f:	jg     93270 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x210>
   93325:	cmpq   $0x0,-0x38(%rsp)
   9332b:	jle    9340e <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x3ae>
   93331:	vmovq  %xmm30,%rax
   93337:	vmovups (%rax),%zmm22{%k1}{z}
   9333d:	vmovq  %xmm31,%rax
   93343:	vmovups (%rax),%zmm16{%k1}{z}
   93349:	mov    -0x48(%rsp),%rax
   9334e:	vmovups (%rax),%zmm21{%k1}{z}
   93354:	mov    -0x50(%rsp),%rax
   93359:	vmovups (%rax),%zmm20{%k1}{z}
   9335f:	mov    -0x58(%rsp),%rax
   93364:	vmovups (%rax),%zmm19{%k1}{z}
   9336a:	mov    -0x60(%rsp),%rax
   9336f:	vmovups (%rax),%zmm18{%k1}{z}
   93375:	vmovq  %xmm29,%rax
   9337b:	vmovups (%r10,%rax,1),%zmm25{%k1}{z}
   93382:	vsubps %zmm22,%zmm25,%zmm25
   93388:	vmulps %zmm25,%zmm16,%zmm17
   9338e:	vfmadd231ps %zmm17,%zmm25,%zmm6
   93394:	vmovups (%rbx,%rax,1),%zmm25{%k1}{z}
   9339b:	vfmadd231ps %zmm17,%zmm21,%zmm15
   933a1:	vfmadd231ps %zmm17,%zmm20,%zmm7
   933a7:	vfmadd231ps %zmm17,%zmm19,%zmm14
   933ad:	vfmadd231ps %zmm17,%zmm18,%zmm5
   933b3:	vsubps %zmm22,%zmm25,%zmm25
   933b9:	vmulps %zmm25,%zmm16,%zmm17
   933bf:	vfmadd231ps %zmm17,%zmm25,%zmm13
   933c5:	vfmadd231ps %zmm17,%zmm21,%zmm10
   933cb:	vfmadd231ps %zmm17,%zmm20,%zmm12
   933d1:	vfmadd231ps %zmm17,%zmm19,%zmm9
   933d7:	vfmadd231ps %zmm17,%zmm18,%zmm11
   933dd:	vmovups (%rdi,%rax,1),%zmm17{%k1}{z}
   933e4:	vsubps %zmm22,%zmm17,%zmm17
   933ea:	vmulps %zmm17,%zmm16,%zmm16
   933f0:	vfmadd231ps %zmm16,%zmm17,%zmm8
   933f6:	vfmadd231ps %zmm16,%zmm21,%zmm3
   933fc:	vfmadd231ps %zmm16,%zmm20,%zmm1
   93402:	vfmadd231ps %zmm16,%zmm19,%zmm2
   93408:	vfmadd231ps %zmm16,%zmm18,%zmm0
   9340e:	vshuff32x4 $0xee,%zmm15,%zmm6,%zmm16
   93415:	vshuff32x4 $0x44,%zmm15,%zmm6,%zmm6
   9341c:	vshuff32x4 $0xee,%zmm14,%zmm7,%zmm15
   93423:	vshuff32x4 $0x44,%zmm14,%zmm7,%zmm7
   9342a:	vshuff32x4 $0xee,%zmm13,%zmm5,%zmm14
   93431:	vshuff32x4 $0x44,%zmm13,%zmm5,%zmm5
   93438:	vshuff32x4 $0xee,%zmm12,%zmm10,%zmm13
   9343f:	vshuff32x4 $0x44,%zmm12,%zmm10,%zmm10
   93446:	vshuff32x4 $0xee,%zmm11,%zmm9,%zmm12
   9344d:	vshuff32x4 $0x44,%zmm11,%zmm9,%zmm9
   93454:	vshuff32x4 $0xee,%zmm3,%zmm8,%zmm11
   9345b:	vshuff32x4 $0x44,%zmm3,%zmm8,%zmm8
   93462:	vaddps %zmm8,%zmm11,%zmm3
   93468:	vshuff32x4 $0xee,%zmm2,%zmm1,%zmm8
   9346f:	vshuff32x4 $0x44,%zmm2,%zmm1,%zmm1
   93476:	vaddps %zmm6,%zmm16,%zmm6
   9347c:	vaddps %zmm1,%zmm8,%zmm8
   93482:	vaddps %zmm7,%zmm15,%zmm7
   93488:	vshuff32x4 $0xee,%zmm23,%zmm0,%zmm1
   9348f:	vmovaps %ymm0,%ymm0
   93493:	vaddps %zmm5,%zmm14,%zmm5
   93499:	vaddps %zmm10,%zmm13,%zmm10
   9349f:	mov    -0x40(%rsp),%rdx
   934a4:	mov    -0x8(%rsp),%rdi
   934a9:	vaddps %zmm0,%zmm1,%zmm0
   934af:	vaddps %zmm9,%zmm12,%zmm9
   934b5:	mov    -0xc(%rsp),%r10d
   934ba:	mov    0x10(%rbp),%rax
   934be:	vshuff32x4 $0xdd,%zmm7,%zmm6,%zmm2
   934c5:	vshuff32x4 $0x88,%zmm7,%zmm6,%zmm6
   934cc:	xor    %ebx,%ebx
   934ce:	vshuff32x4 $0xdd,%zmm10,%zmm5,%zmm1
   934d5:	vshuff32x4 $0x88,%zmm10,%zmm5,%zmm5
   934dc:	vaddps %zmm6,%zmm2,%zmm2
   934e2:	vaddps %zmm5,%zmm1,%zmm5
   934e8:	vshuff32x4 $0xdd,%zmm3,%zmm9,%zmm1
   934ef:	vshuff32x4 $0x88,%zmm3,%zmm9,%zmm9
   934f6:	vshuff32x4 $0xdd,%zmm0,%zmm8,%zmm3
   934fd:	vshuff32x4 $0x88,%zmm0,%zmm8,%zmm8
   93504:	vaddps %zmm9,%zmm1,%zmm1
   9350a:	vaddps %zmm8,%zmm3,%zmm3
   93510:	vunpckhps %zmm5,%zmm2,%zmm0
   93516:	vunpcklps %zmm5,%zmm2,%zmm2
   9351c:	vaddps %zmm2,%zmm0,%zmm0
   93522:	vunpckhps %zmm3,%zmm1,%zmm2
   93528:	vunpcklps %zmm3,%zmm1,%zmm1
   9352e:	vaddps %zmm1,%zmm2,%zmm2
   93534:	vshufps $0xee,%zmm2,%zmm0,%zmm1
   9353b:	vshufps $0x44,%zmm2,%zmm0,%zmm0
   93542:	vaddps %zmm0,%zmm1,%zmm0
   93548:	vpermd %zmm0,%zmm24,%zmm0
   9354e:	vmovaps %zmm0,0x8(%rsp)
   93559:	nopl   0x0(%rax)
   93560:	vmovss 0x4(%rdx),%xmm3
   93565:	add    $0x10,%rdi
   93569:	add    $0x14,%rdx
   9356d:	vmovss -0x14(%rdx),%xmm0
   93572:	vmovss -0xc(%rdx),%xmm6
   93577:	vmovss -0x4(%rdx),%xmm7
   9357c:	vmovaps %xmm3,%xmm2
   93580:	vmovaps %xmm3,%xmm1
   93584:	vmovss %xmm0,(%rsi,%rbx,4)
   93589:	vfmadd132ss (%rax),%xmm4,%xmm2
   9358e:	vmovaps %xmm3,%xmm0
   93592:	vmovss %xmm2,-0x10(%rdi)
   93597:	vfmadd132ss 0x4(%rax),%xmm4,%xmm0
   9359d:	vfmadd132ss %xmm2,%xmm4,%xmm2
   935a2:	vfmadd231ss 0x14(%rax),%xmm6,%xmm0
   935a8:	vmovss %xmm0,-0xc(%rdi)
   935ad:	vfmadd132ss 0x8(%rax),%xmm4,%xmm1
   935b3:	vfmadd231ss %xmm0,%xmm0,%xmm2
   935b8:	vmovss -0x8(%rdx),%xmm0
   935bd:	vfmadd231ss 0x18(%rax),%xmm6,%xmm1
   935c3:	vfmadd231ss 0x28(%rax),%xmm0,%xmm1
   935c9:	vmovss %xmm1,-0x8(%rdi)
   935ce:	vfmadd132ss 0xc(%rax),%xmm4,%xmm3
   935d4:	vfmadd132ss %xmm1,%xmm2,%xmm1
   935d9:	vfmadd132ss 0x1c(%rax),%xmm3,%xmm6
   935df:	vfmadd132ss 0x2c(%rax),%xmm6,%xmm0
   935e5:	vfmadd231ss 0x3c(%rax),%xmm7,%xmm0
   935eb:	vmovss %xmm0,-0x4(%rdi)
   935f0:	vfmadd132ss %xmm0,%xmm1,%xmm0
   935f5:	vmovss %xmm0,(%rcx,%rbx,4)
   935fa:	inc    %rbx
   935fd:	cmp    %ebx,%r10d
   93600:	jg     93560 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x500>
   93606:	addq   $0x30,-0x8(%rsp)
   9360c:	add    $0xc,%rsi
   93610:	add    $0xc,%rcx
   93614:	cmp    %r11,(%rsp)
   93618:	jg     9318c <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x12c>
   9361e:	vzeroupper
   93621:	lea    -0x28(%rbp),%rsp
   93625:	pop    %rbx
   93626:	pop    %r12
   93628:	pop    %r13
   9362a:	pop    %r14
   9362c:	pop    %r15
   9362e:	pop    %rbp
   9362f:	ret
   93630:	cmpq   $0x0,-0x20(%rsp)
   93636:	vmovq  %xmm26,%rax
   9363c:	mov    (%rax,%r11,8),%rdx
   93640:	jle    931f4 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x194>
   93646:	mov    %r11,-0x28(%rsp)
   9364b:	mov    -0x20(%rsp),%r11
   93650:	xor    %eax,%eax
   93652:	data16 cs nopw 0x0(%rax,%rax,1)
   9365d:	nopl   (%rax)
   93660:	add    $0x10,%rax
   93664:	prefetcht0 (%rdx)
   93667:	add    $0x40,%rdx
   9366b:	cmp    %rax,%r11
   9366e:	jg     93660 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x600>
   93670:	mov    -0x28(%rsp),%r11
   93675:	jmp    931f4 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x194>
   9367a:	nopw   0x0(%rax,%rax,1)

   969ec:	call   93060 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)>
   969f1:	add    $0x20,%rsp
   969f5:	test   %r13,%r13
   969f8:	jle    9665b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1db>
   969fe:	vmovss 0xaa55e(%rip),%xmm0        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   96a06:	vmovsd 0xaa492(%rip),%xmm8        # 140ea0 <(anonymous namespace)::kBlock+0xc20>
   96a0e:	xor    %esi,%esi
   96a10:	xor    %r15d,%r15d
   96a13:	vmovsd 0xaa37d(%rip),%xmm7        # 140d98 <(anonymous namespace)::kBlock+0xb18>
   96a1b:	vmovss -0x6c(%rbp),%xmm1
   96a20:	vxorps %xmm4,%xmm4,%xmm4
   96a24:	mov    -0x40(%rbp),%rdi
   96a28:	mov    -0x48(%rbp),%rdx
   96a2c:	mov    -0x50(%rbp),%rcx
   96a30:	mov    -0x58(%rbp),%r8
   96a34:	mov    -0x60(%rbp),%r9
   96a38:	mov    -0x68(%rbp),%r11
   96a3c:	mov    -0x78(%rbp),%rax
   96a40:	jmp    96a53 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x5d3>
   96a42:	data16 cs nopw 0x0(%rax,%rax,1)
   96a4d:	nopl   (%rax)
   96a50:	mov    %r10,%r15
   96a53:	vmovss (%rbx,%r15,4),%xmm2
   96a59:	vsubss (%r12,%r15,4),%xmm2,%xmm5
   96a5f:	vmulss %xmm0,%xmm2,%xmm3
   96a63:	vmovss %xmm5,(%rbx,%r15,4)
   96a69:	vmovss (%r12,%r15,4),%xmm6
   96a6f:	vcomiss %xmm3,%xmm6
   96a73:	jbe    96a9c <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x61c>
   96a75:	vcvtss2sd %xmm2,%xmm2,%xmm2
   96a79:	vmulsd %xmm8,%xmm2,%xmm3
   96a7e:	vcvtss2sd %xmm5,%xmm5,%xmm2
   96a82:	vcvtsi2sd %rdx,%xmm4,%xmm5
   96a87:	vdivsd %xmm5,%xmm2,%xmm5
   96a8b:	vmaxsd %xmm7,%xmm5,%xmm5
   96a8f:	vcomisd %xmm5,%xmm3
   96a93:	jbe    96a9c <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x61c>
   96a95:	mov    %r15,(%rax,%rsi,8)
   96a99:	inc    %rsi
   96a9c:	lea    0x1(%r15),%r10
   96aa0:	cmp    %r10,%r13
   96aa3:	jne    96a50 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x5d0>
   96aa5:	test   %rsi,%rsi
   96aa8:	je     96ae6 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x666>
   96aaa:	vmovss %xmm0,-0x50(%rbp)
   96aaf:	vmovss %xmm1,-0x48(%rbp)
   96ab4:	mov    %r10,-0x40(%rbp)
   96ab8:	push   %rbx
   96ab9:	push   -0x38(%rbp)
   96abc:	push   %r11
   96abe:	push   %r9
   96ac0:	mov    %r8,%r9
   96ac3:	mov    %rcx,%r8
   96ac6:	mov    %rdx,%rcx
   96ac9:	mov    %rsi,%rdx
   96acc:	mov    %rax,%rsi
   96acf:	call   93680 <void vmfa::detail::simd::avx512::residualColumns<float, 4>(float const* const*, long const*, long, long, float const*, float const*, float const*, float const*, float const*, float*)>
   96ad4:	vmovss -0x50(%rbp),%xmm0
   96ad9:	add    $0x20,%rsp
   96add:	vmovss -0x48(%rbp),%xmm1
   96ae2:	mov    -0x40(%rbp),%r10
   96ae6:	cmp    $0x6,%r15
   96aea:	jbe    977a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1320>
   96af0:	lea    0x4(%rbx),%rax
   96af4:	mov    %r14,%rdx
   96af7:	sub    %rax,%rdx
   96afa:	xor    %eax,%eax
   96afc:	cmp    $0x38,%rdx
   96b00:	ja     97410 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf90>
   96b06:	cs nopw 0x0(%rax,%rax,1)
   96b10:	vmovaps %xmm0,%xmm2
   96b14:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   96b1a:	mov    %rax,%rdx
   96b1d:	vmovss %xmm2,(%r14,%rax,4)
   96b23:	inc    %rax
   96b26:	cmp    %rdx,%r15
   96b29:	jne    96b10 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x690>
   96b2b:	jmp    9665b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1db>
   96b30:	mov    %rax,-0x78(%rbp)
   96b34:	vmovss %xmm0,-0x6c(%rbp)
   96b39:	push   %r12
   96b3b:	push   -0x38(%rbp)
   96b3e:	mov    %r13,%rsi
   96b41:	push   %rbx
   96b42:	push   %r11
   96b44:	mov    %r11,-0x68(%rbp)
   96b48:	mov    %r9,-0x60(%rbp)
   96b4c:	mov    %r8,-0x58(%rbp)
   96b50:	mov    %rcx,-0x50(%rbp)
   96b54:	mov    %rdx,-0x48(%rbp)
   96b58:	mov    %rdi,-0x40(%rbp)
   96b5c:	call   939f0 <void vmfa::detail::simd::avx512::fusedBlock<float, 5>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)>
   96b61:	add    $0x20,%rsp
   96b65:	test   %r13,%r13
   96b68:	jle    9665b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1db>
   96b6e:	vmovss 0xaa3ee(%rip),%xmm0        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   96b76:	vmovsd 0xaa322(%rip),%xmm8        # 140ea0 <(anonymous namespace)::kBlock+0xc20>
   96b7e:	xor    %esi,%esi
   96b80:	xor    %r15d,%r15d
   96b83:	vmovsd 0xaa20d(%rip),%xmm7        # 140d98 <(anonymous namespace)::kBlock+0xb18>
   96b8b:	vmovss -0x6c(%rbp),%xmm1
   96b90:	vxorps %xmm4,%xmm4,%xmm4
   96b94:	mov    -0x40(%rbp),%rdi
   96b98:	mov    -0x48(%rbp),%rdx
   96b9c:	mov    -0x50(%rbp),%rcx
   96ba0:	mov    -0x58(%rbp),%r8
   96ba4:	mov    -0x60(%rbp),%r9
   96ba8:	mov    -0x68(%rbp),%r11
   96bac:	mov    -0x78(%rbp),%rax
   96bb0:	jmp    96bc3 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x743>
   96bb2:	data16 cs nopw 0x0(%rax,%rax,1)
   96bbd:	nopl   (%rax)
   96bc0:	mov    %r10,%r15
   96bc3:	vmovss (%rbx,%r15,4),%xmm2
   96bc9:	vsubss (%r12,%r15,4),%xmm2,%xmm5
   96bcf:	vmulss %xmm0,%xmm2,%xmm3
   96bd3:	vmovss %xmm5,(%rbx,%r15,4)
   96bd9:	vmovss (%r12,%r15,4),%xmm6
   96bdf:	vcomiss %xmm3,%xmm6
   96be3:	jbe    96c0c <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x78c>
   96be5:	vcvtss2sd %xmm2,%xmm2,%xmm2
   96be9:	vmulsd %xmm8,%xmm2,%xmm3
   96bee:	vcvtss2sd %xmm5,%xmm5,%xmm2
   96bf2:	vcvtsi2sd %rdx,%xmm4,%xmm5
   96bf7:	vdivsd %xmm5,%xmm2,%xmm5
   96bfb:	vmaxsd %xmm7,%xmm5,%xmm5
   96bff:	vcomisd %xmm5,%xmm3
   96c03:	jbe    96c0c <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x78c>
   96c05:	mov    %r15,(%rax,%rsi,8)
   96c09:	inc    %rsi
   96c0c:	lea    0x1(%r15),%r10
   96c10:	cmp    %r10,%r13
   96c13:	jne    96bc0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x740>
   96c15:	test   %rsi,%rsi
   96c18:	je     96c56 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x7d6>
   96c1a:	vmovss %xmm0,-0x50(%rbp)
   96c1f:	vmovss %xmm1,-0x48(%rbp)
   96c24:	mov    %r10,-0x40(%rbp)
   96c28:	push   %rbx
   96c29:	push   -0x38(%rbp)
   96c2c:	push   %r11
   96c2e:	push   %r9
   96c30:	mov    %r8,%r9
   96c33:	mov    %rcx,%r8
   96c36:	mov    %rdx,%rcx
   96c39:	mov    %rsi,%rdx
   96c3c:	mov    %rax,%rsi
   96c3f:	call   94030 <void vmfa::detail::simd::avx512::residualColumns<float, 5>(float const* const*, long const*, long, long, float const*, float const*, float const*, float const*, float const*, float*)>
   96c44:	vmovss -0x50(%rbp),%xmm0
   96c49:	add    $0x20,%rsp
   96c4d:	vmovss -0x48(%rbp),%xmm1
   96c52:	mov    -0x40(%rbp),%r10
   96c56:	cmp    $0x6,%r15
   96c5a:	jbe    977e0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1360>
   96c60:	lea    0x4(%rbx),%rax
   96c64:	mov    %r14,%rdx
   96c67:	sub    %rax,%rdx
   96c6a:	xor    %eax,%eax
   96c6c:	cmp    $0x38,%rdx
   96c70:	ja     97640 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x11c0>
   96c76:	cs nopw 0x0(%rax,%rax,1)
   96c80:	vmovaps %xmm0,%xmm2
   96c84:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   96c8a:	mov    %rax,%rdx
   96c8d:	vmovss %xmm2,(%r14,%rax,4)
   96c93:	inc    %rax
   96c96:	cmp    %rdx,%r15
   96c99:	jne    96c80 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x800>
   96c9b:	jmp    9665b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1db>
   96ca0:	mov    %rax,-0x78(%rbp)
   96ca4:	vmovss %xmm0,-0x6c(%rbp)
   96ca9:	push   %r12
   96cab:	push   -0x38(%rbp)
   96cae:	mov    %r13,%rsi
   96cb1:	push   %rbx
   96cb2:	push   %r11
   96cb4:	mov    %r11,-0x68(%rbp)
   96cb8:	mov    %r9,-0x60(%rbp)
   96cbc:	mov    %r8,-0x58(%rbp)
   96cc0:	mov    %rcx,-0x50(%rbp)
   96cc4:	mov    %rdx,-0x48(%rbp)
   96cc8:	mov    %rdi,-0x40(%rbp)
   96ccc:	call   90fd0 <void vmfa::detail::simd::avx512::fusedBlock<float, 1>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)>
   96cd1:	add    $0x20,%rsp
   96cd5:	test   %r13,%r13
   96cd8:	jle    9665b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1db>
   96cde:	vmovss 0xaa27e(%rip),%xmm0        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   96ce6:	vmovsd 0xaa1b2(%rip),%xmm8        # 140ea0 <(anonymous namespace)::kBlock+0xc20>
   96cee:	xor    %esi,%esi
   96cf0:	xor    %r15d,%r15d
   96cf3:	vmovsd 0xaa09d(%rip),%xmm7        # 140d98 <(anonymous namespace)::kBlock+0xb18>
   96cfb:	vmovss -0x6c(%rbp),%xmm1
   96d00:	vxorps %xmm4,%xmm4,%xmm4
   96d04:	mov    -0x40(%rbp),%rdi
   96d08:	mov    -0x48(%rbp),%rdx
   96d0c:	mov    -0x50(%rbp),%rcx
   96d10:	mov    -0x58(%rbp),%r8
   96d14:	mov    -0x60(%rbp),%r9
   96d18:	mov    -0x68(%rbp),%r11
   96d1c:	mov    -0x78(%rbp),%rax
   96d20:	jmp    96d33 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x8b3>
   96d22:	data16 cs nopw 0x0(%rax,%rax,1)
   96d2d:	nopl   (%rax)
   96d30:	mov    %r10,%r15
   96d33:	vmovss (%rbx,%r15,4),%xmm2
   96d39:	vsubss (%r12,%r15,4),%xmm2,%xmm5
   96d3f:	vmulss %xmm0,%xmm2,%xmm3
   96d43:	vmovss %xmm5,(%rbx,%r15,4)
   96d49:	vmovss (%r12,%r15,4),%xmm6
   96d4f:	vcomiss %xmm3,%xmm6
   96d53:	jbe    96d7c <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x8fc>
   96d55:	vcvtss2sd %xmm2,%xmm2,%xmm2
   96d59:	vmulsd %xmm8,%xmm2,%xmm3
   96d5e:	vcvtss2sd %xmm5,%xmm5,%xmm2
   96d62:	vcvtsi2sd %rdx,%xmm4,%xmm5
   96d67:	vdivsd %xmm5,%xmm2,%xmm5
   96d6b:	vmaxsd %xmm7,%xmm5,%xmm5
   96d6f:	vcomisd %xmm5,%xmm3
   96d73:	jbe    96d7c <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x8fc>
   96d75:	mov    %r15,(%rax,%rsi,8)
   96d79:	inc    %rsi
   96d7c:	lea    0x1(%r15),%r10
   96d80:	cmp    %r10,%r13
   96d83:	jne    96d30 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x8b0>
   96d85:	test   %rsi,%rsi
   96d88:	je     96dc6 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x946>
   96d8a:	vmovss %xmm0,-0x50(%rbp)
   96d8f:	vmovss %xmm1,-0x48(%rbp)
   96d94:	mov    %r10,-0x40(%rbp)
   96d98:	push   %rbx
   96d99:	push   -0x38(%rbp)
   96d9c:	push   %r11
   96d9e:	push   %r9
   96da0:	mov    %r8,%r9
   96da3:	mov    %rcx,%r8
   96da6:	mov    %rdx,%rcx
   96da9:	mov    %rsi,%rdx
   96dac:	mov    %rax,%rsi
   96daf:	call   90d90 <void vmfa::detail::simd::avx512::residualColumns<float, 1>(float const* const*, long const*, long, long, float const*, float const*, float const*, float const*, float const*, float*)>
   96db4:	vmovss -0x50(%rbp),%xmm0
   96db9:	add    $0x20,%rsp
   96dbd:	vmovss -0x48(%rbp),%xmm1
   96dc2:	mov    -0x40(%rbp),%r10
   96dc6:	cmp    $0x6,%r15
   96dca:	jbe    977b0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1330>
   96dd0:	lea    0x4(%rbx),%rax
   96dd4:	mov    %r14,%rdx
   96dd7:	sub    %rax,%rdx
   96dda:	xor    %eax,%eax
   96ddc:	cmp    $0x38,%rdx
   96de0:	ja     970f0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xc70>
   96de6:	cs nopw 0x0(%rax,%rax,1)
   96df0:	vmovaps %xmm0,%xmm2
   96df4:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   96dfa:	mov    %rax,%rdx
   96dfd:	vmovss %xmm2,(%r14,%rax,4)
   96e03:	inc    %rax
   96e06:	cmp    %rdx,%r15
   96e09:	jne    96df0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x970>
   96e0b:	jmp    9665b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1db>
   96e10:	mov    %rax,-0x78(%rbp)
   96e14:	vmovss %xmm0,-0x6c(%rbp)
   96e19:	push   %r12
   96e1b:	push   -0x38(%rbp)
   96e1e:	mov    %r13,%rsi
   96e21:	push   %rbx
   96e22:	push   %r11
   96e24:	mov    %r11,-0x68(%rbp)
   96e28:	mov    %r9,-0x60(%rbp)
   96e2c:	mov    %r8,-0x58(%rbp)
   96e30:	mov    %rcx,-0x50(%rbp)
   96e34:	mov    %rdx,-0x48(%rbp)
   96e38:	mov    %rdi,-0x40(%rbp)
   96e3c:	call   92640 <void vmfa::detail::simd::avx512::fusedBlock<float, 3>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)>
   96e41:	add    $0x20,%rsp
   96e45:	test   %r13,%r13
   96e48:	jle    9665b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1db>
   96e4e:	vmovss 0xaa10e(%rip),%xmm0        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   96e56:	vmovsd 0xaa042(%rip),%xmm8        # 140ea0 <(anonymous namespace)::kBlock+0xc20>
   96e5e:	xor    %esi,%esi
   96e60:	xor    %r15d,%r15d
   96e63:	vmovsd 0xa9f2d(%rip),%xmm7        # 140d98 <(anonymous namespace)::kBlock+0xb18>
   96e6b:	vmovss -0x6c(%rbp),%xmm1
   96e70:	vxorps %xmm4,%xmm4,%xmm4
   96e74:	mov    -0x40(%rbp),%rdi
   96e78:	mov    -0x48(%rbp),%rdx
   96e7c:	mov    -0x50(%rbp),%rcx
   96e80:	mov    -0x58(%rbp),%r8
   96e84:	mov    -0x60(%rbp),%r9
   96e88:	mov    -0x68(%rbp),%r11
   96e8c:	mov    -0x78(%rbp),%rax
   96e90:	jmp    96ea3 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xa23>
   96e92:	data16 cs nopw 0x0(%rax,%rax,1)
   96e9d:	nopl   (%rax)
   96ea0:	mov    %r10,%r15
   96ea3:	vmovss (%rbx,%r15,4),%xmm2
   96ea9:	vsubss (%r12,%r15,4),%xmm2,%xmm5
   96eaf:	vmulss %xmm0,%xmm2,%xmm3
   96eb3:	vmovss %xmm5,(%rbx,%r15,4)
   96eb9:	vmovss (%r12,%r15,4),%xmm6
   96ebf:	vcomiss %xmm3,%xmm6
   96ec3:	jbe    96eec <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xa6c>
   96ec5:	vcvtss2sd %xmm2,%xmm2,%xmm2
   96ec9:	vmulsd %xmm8,%xmm2,%xmm3
   96ece:	vcvtss2sd %xmm5,%xmm5,%xmm2
   96ed2:	vcvtsi2sd %rdx,%xmm4,%xmm5
   96ed7:	vdivsd %xmm5,%xmm2,%xmm5
   96edb:	vmaxsd %xmm7,%xmm5,%xmm5
   96edf:	vcomisd %xmm5,%xmm3
   96ee3:	jbe    96eec <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xa6c>
   96ee5:	mov    %r15,(%rax,%rsi,8)
   96ee9:	inc    %rsi
   96eec:	lea    0x1(%r15),%r10
   96ef0:	cmp    %r10,%r13
   96ef3:	jne    96ea0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xa20>
   96ef5:	test   %rsi,%rsi
   96ef8:	je     96f36 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xab6>
   96efa:	vmovss %xmm0,-0x50(%rbp)
   96eff:	vmovss %xmm1,-0x48(%rbp)
   96f04:	mov    %r10,-0x40(%rbp)
   96f08:	push   %rbx
   96f09:	push   -0x38(%rbp)
   96f0c:	push   %r11
   96f0e:	push   %r9
   96f10:	mov    %r8,%r9
   96f13:	mov    %rcx,%r8
   96f16:	mov    %rdx,%rcx
   96f19:	mov    %rsi,%rdx
   96f1c:	mov    %rax,%rsi
   96f1f:	call   92d30 <void vmfa::detail::simd::avx512::residualColumns<float, 3>(float const* const*, long const*, long, long, float const*, float const*, float const*, float const*, float const*, float*)>
   96f24:	vmovss -0x50(%rbp),%xmm0
   96f29:	add    $0x20,%rsp
   96f2d:	vmovss -0x48(%rbp),%xmm1
   96f32:	mov    -0x40(%rbp),%r10
   96f36:	cmp    $0x6,%r15
   96f3a:	jbe    977c0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1340>
   96f40:	lea    0x4(%rbx),%rax
   96f44:	mov    %r14,%rdx
   96f47:	sub    %rax,%rdx
   96f4a:	xor    %eax,%eax
   96f4c:	cmp    $0x38,%rdx
   96f50:	ja     97470 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xff0>
   96f56:	cs nopw 0x0(%rax,%rax,1)
   96f60:	vmovaps %xmm0,%xmm2
   96f64:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   96f6a:	mov    %rax,%rdx
   96f6d:	vmovss %xmm2,(%r14,%rax,4)
   96f73:	inc    %rax
   96f76:	cmp    %rdx,%r15
   96f79:	jne    96f60 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xae0>
   96f7b:	jmp    9665b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1db>
   96f80:	mov    %rax,-0x78(%rbp)
   96f84:	vmovss %xmm0,-0x6c(%rbp)
   96f89:	push   %r12
   96f8b:	push   -0x38(%rbp)
   96f8e:	mov    %r13,%rsi
   96f91:	push   %rbx
   96f92:	push   %r11
   96f94:	mov    %r11,-0x68(%rbp)
   96f98:	mov    %r9,-0x60(%rbp)
   96f9c:	mov    %r8,-0x58(%rbp)
   96fa0:	mov    %rcx,-0x50(%rbp)
   96fa4:	mov    %rdx,-0x48(%rbp)
   96fa8:	mov    %rdi,-0x40(%rbp)
   96fac:	call   95a70 <void vmfa::detail::simd::avx512::fusedBlock<float, 8>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)>
   96fb1:	add    $0x20,%rsp
   96fb5:	test   %r13,%r13
   96fb8:	jle    9665b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1db>
   96fbe:	vmovss 0xa9f9e(%rip),%xmm0        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   96fc6:	vmovsd 0xa9ed2(%rip),%xmm8        # 140ea0 <(anonymous namespace)::kBlock+0xc20>
   96fce:	xor    %esi,%esi
   96fd0:	xor    %r15d,%r15d
   96fd3:	vmovsd 0xa9dbd(%rip),%xmm7        # 140d98 <(anonymous namespace)::kBlock+0xb18>
   96fdb:	vmovss -0x6c(%rbp),%xmm1
   96fe0:	vxorps %xmm4,%xmm4,%xmm4
   96fe4:	mov    -0x40(%rbp),%rdi
   96fe8:	mov    -0x48(%rbp),%rdx
   96fec:	mov    -0x50(%rbp),%rcx
   96ff0:	mov    -0x58(%rbp),%r8
   96ff4:	mov    -0x60(%rbp),%r9
   96ff8:	mov    -0x68(%rbp),%r11
   96ffc:	mov    -0x78(%rbp),%rax
   97000:	jmp    97013 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xb93>
   97002:	data16 cs nopw 0x0(%rax,%rax,1)
   9700d:	nopl   (%rax)
   97010:	mov    %r10,%r15
   97013:	vmovss (%rbx,%r15,4),%xmm2
   97019:	vsubss (%r12,%r15,4),%xmm2,%xmm5
   9701f:	vmulss %xmm0,%xmm2,%xmm3
   97023:	vmovss %xmm5,(%rbx,%r15,4)
   97029:	vmovss (%r12,%r15,4),%xmm6
   9702f:	vcomiss %xmm3,%xmm6
   97033:	jbe    9705c <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xbdc>
   97035:	vcvtss2sd %xmm2,%xmm2,%xmm2
   97039:	vmulsd %xmm8,%xmm2,%xmm3
   9703e:	vcvtss2sd %xmm5,%xmm5,%xmm2
   97042:	vcvtsi2sd %rdx,%xmm4,%xmm5
   97047:	vdivsd %xmm5,%xmm2,%xmm5
   9704b:	vmaxsd %xmm7,%xmm5,%xmm5
   9704f:	vcomisd %xmm5,%xmm3
   97053:	jbe    9705c <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xbdc>
   97055:	mov    %r15,(%rax,%rsi,8)
   97059:	inc    %rsi
   9705c:	lea    0x1(%r15),%r10
   97060:	cmp    %r10,%r13
   97063:	jne    97010 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xb90>
   97065:	test   %rsi,%rsi
   97068:	je     970a6 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xc26>
   9706a:	vmovss %xmm0,-0x50(%rbp)
   9706f:	vmovss %xmm1,-0x48(%rbp)
   97074:	mov    %r10,-0x40(%rbp)
   97078:	push   %rbx
   97079:	push   -0x38(%rbp)
   9707c:	push   %r11
   9707e:	push   %r9
   97080:	mov    %r8,%r9
   97083:	mov    %rcx,%r8
   97086:	mov    %rdx,%rcx
   97089:	mov    %rsi,%rdx
   9708c:	mov    %rax,%rsi
   9708f:	call   95f70 <void vmfa::detail::simd::avx512::residualColumns<float, 8>(float const* const*, long const*, long, long, float const*, float const*, float const*, float const*, float const*, float*)>
   97094:	vmovss -0x50(%rbp),%xmm0
   97099:	add    $0x20,%rsp
   9709d:	vmovss -0x48(%rbp),%xmm1
   970a2:	mov    -0x40(%rbp),%r10
   970a6:	cmp    $0x6,%r15
   970aa:	jbe    97760 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x12e0>
   970b0:	lea    0x4(%rbx),%rax
   970b4:	mov    %r14,%rdx
   970b7:	sub    %rax,%rdx
   970ba:	xor    %eax,%eax
   970bc:	cmp    $0x38,%rdx
   970c0:	ja     97270 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xdf0>
   970c6:	cs nopw 0x0(%rax,%rax,1)
   970d0:	vmovaps %xmm0,%xmm2
   970d4:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   970da:	mov    %rax,%rdx
   970dd:	vmovss %xmm2,(%r14,%rax,4)
   970e3:	inc    %rax
   970e6:	cmp    %rdx,%r15
   970e9:	jne    970d0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xc50>
   970eb:	jmp    9665b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1db>
   970f0:	mov    %r10,%rdx
   970f3:	cmp    $0xe,%r15
   970f7:	jbe    977f0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1370>
   970fd:	vbroadcastss 0xa9e5d(%rip),%zmm2        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   97107:	shr    $0x4,%rdx
   9710b:	vbroadcastss %xmm1,%zmm4
   97111:	shl    $0x6,%rdx
   97115:	data16 cs nopw 0x0(%rax,%rax,1)
   97120:	vmovaps %zmm2,%zmm3
   97126:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   9712d:	vmovups %zmm3,(%r14,%rax,1)
   97134:	add    $0x40,%rax
   97138:	cmp    %rax,%rdx
   9713b:	jne    97120 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xca0>
   9713d:	nopl   (%rax)
   97140:	mov    %r10,%rax
   97143:	and    $0xfffffffffffffff0,%rax
   97147:	mov    %rax,%rcx
   9714a:	cmp    %rax,%r10
   9714d:	je     973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   97153:	mov    %r10,%rdx
   97156:	sub    %rax,%rdx
   97159:	lea    -0x1(%rdx),%rsi
   9715d:	cmp    $0x6,%rsi
   97161:	jbe    97190 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xd10>
   97163:	vmovups (%rbx,%rcx,4),%ymm7
   97168:	vbroadcastss %xmm1,%ymm2
   9716d:	vfnmadd231ps 0xa9ded(%rip){1to8},%ymm7,%ymm2        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   97177:	vmovups %ymm2,(%r14,%rcx,4)
   9717d:	mov    %rdx,%rcx
   97180:	and    $0xfffffffffffffff8,%rcx
   97184:	add    %rcx,%rax
   97187:	and    $0x7,%edx
   9718a:	je     973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   97190:	vmovaps %xmm0,%xmm2
   97194:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   9719a:	lea    0x0(,%rax,4),%rdx
   971a2:	vmovss %xmm2,(%r14,%rdx,1)
   971a8:	cmp    %rax,%r15
   971ab:	jle    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   971b1:	vmovaps %xmm0,%xmm2
   971b5:	vfnmadd132ss 0x4(%rbx,%rdx,1),%xmm1,%xmm2
   971bc:	lea    0x2(%rax),%rcx
   971c0:	vmovss %xmm2,0x4(%r14,%rdx,1)
   971c7:	cmp    %rcx,%r10
   971ca:	jle    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   971d0:	vmovaps %xmm0,%xmm2
   971d4:	vfnmadd132ss 0x8(%rbx,%rdx,1),%xmm1,%xmm2
   971db:	lea    0x3(%rax),%rcx
   971df:	vmovss %xmm2,0x8(%r14,%rdx,1)
   971e6:	cmp    %rcx,%r10
   971e9:	jle    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   971ef:	vmovaps %xmm0,%xmm2
   971f3:	vfnmadd132ss 0xc(%rbx,%rdx,1),%xmm1,%xmm2
   971fa:	lea    0x4(%rax),%rcx
   971fe:	vmovss %xmm2,0xc(%r14,%rdx,1)
   97205:	cmp    %rcx,%r10
   97208:	jle    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   9720e:	vmovaps %xmm0,%xmm2
   97212:	vfnmadd132ss 0x10(%rbx,%rdx,1),%xmm1,%xmm2
   97219:	lea    0x5(%rax),%rcx
   9721d:	vmovss %xmm2,0x10(%r14,%rdx,1)
   97224:	cmp    %rcx,%r10
   97227:	jle    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   9722d:	vmovaps %xmm0,%xmm2
   97231:	vfnmadd132ss 0x14(%rbx,%rdx,1),%xmm1,%xmm2
   97238:	add    $0x6,%rax
   9723c:	vmovss %xmm2,0x14(%r14,%rdx,1)
   97243:	cmp    %rax,%r10
   97246:	jle    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   9724c:	vfnmadd132ss 0x18(%rbx,%rdx,1),%xmm1,%xmm0
   97253:	vmovss %xmm0,0x18(%r14,%rdx,1)
   9725a:	vzeroupper
   9725d:	jmp    9665b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1db>
   97262:	data16 cs nopw 0x0(%rax,%rax,1)
   9726d:	nopl   (%rax)
   97270:	mov    %r10,%rdx
   97273:	cmp    $0xe,%r15
   97277:	jbe    97802 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1382>
   9727d:	vbroadcastss 0xa9cdd(%rip),%zmm2        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   97287:	shr    $0x4,%rdx
   9728b:	vbroadcastss %xmm1,%zmm4
   97291:	shl    $0x6,%rdx
   97295:	data16 cs nopw 0x0(%rax,%rax,1)
   972a0:	vmovaps %zmm2,%zmm3
   972a6:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   972ad:	vmovups %zmm3,(%r14,%rax,1)
   972b4:	add    $0x40,%rax
   972b8:	cmp    %rdx,%rax
   972bb:	jne    972a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xe20>
   972bd:	mov    %r10,%rax
   972c0:	and    $0xfffffffffffffff0,%rax
   972c4:	mov    %rax,%rcx
   972c7:	cmp    %rax,%r10
   972ca:	je     973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   972d0:	mov    %r10,%rdx
   972d3:	sub    %rax,%rdx
   972d6:	lea    -0x1(%rdx),%rsi
   972da:	cmp    $0x6,%rsi
   972de:	jbe    9730d <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xe8d>
   972e0:	vmovups (%rbx,%rcx,4),%ymm7
   972e5:	vbroadcastss %xmm1,%ymm2
   972ea:	vfnmadd231ps 0xa9c70(%rip){1to8},%ymm7,%ymm2        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   972f4:	vmovups %ymm2,(%r14,%rcx,4)
   972fa:	mov    %rdx,%rcx
   972fd:	and    $0xfffffffffffffff8,%rcx
   97301:	add    %rcx,%rax
   97304:	and    $0x7,%edx
   97307:	je     973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   9730d:	vmovaps %xmm0,%xmm2
   97311:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   97317:	lea    0x0(,%rax,4),%rdx
   9731f:	vmovss %xmm2,(%r14,%rdx,1)
   97325:	cmp    %rax,%r15
   97328:	jle    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   9732a:	vmovaps %xmm0,%xmm2
   9732e:	vfnmadd132ss 0x4(%rbx,%rdx,1),%xmm1,%xmm2
   97335:	lea    0x2(%rax),%rcx
   97339:	vmovss %xmm2,0x4(%r14,%rdx,1)
   97340:	cmp    %rcx,%r10
   97343:	jle    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   97345:	vmovaps %xmm0,%xmm2
   97349:	vfnmadd132ss 0x8(%rbx,%rdx,1),%xmm1,%xmm2
   97350:	lea    0x3(%rax),%rcx
   97354:	vmovss %xmm2,0x8(%r14,%rdx,1)
   9735b:	cmp    %r10,%rcx
   9735e:	jge    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   97360:	vmovaps %xmm0,%xmm2
   97364:	vfnmadd132ss 0xc(%rbx,%rdx,1),%xmm1,%xmm2
   9736b:	lea    0x4(%rax),%rcx
   9736f:	vmovss %xmm2,0xc(%r14,%rdx,1)
   97376:	cmp    %r10,%rcx
   97379:	jge    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   9737b:	vmovaps %xmm0,%xmm2
   9737f:	vfnmadd132ss 0x10(%rbx,%rdx,1),%xmm1,%xmm2
   97386:	lea    0x5(%rax),%rcx
   9738a:	vmovss %xmm2,0x10(%r14,%rdx,1)
   97391:	cmp    %r10,%rcx
   97394:	jl     9722d <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xdad>
   9739a:	nopw   0x0(%rax,%rax,1)
   973a0:	vzeroupper
   973a3:	jmp    9665b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1db>
   973a8:	nopl   0x0(%rax,%rax,1)
   973b0:	mov    %r10,%rdx
   973b3:	cmp    $0xe,%r15
   973b7:	jbe    977f0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1370>
   973bd:	vbroadcastss 0xa9b9d(%rip),%zmm2        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   973c7:	shr    $0x4,%rdx
   973cb:	vbroadcastss %xmm1,%zmm4
   973d1:	shl    $0x6,%rdx
   973d5:	data16 cs nopw 0x0(%rax,%rax,1)
   973e0:	vmovaps %zmm2,%zmm3
   973e6:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   973ed:	vmovups %zmm3,(%r14,%rax,1)
   973f4:	add    $0x40,%rax
   973f8:	cmp    %rax,%rdx
   973fb:	jne    973e0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf60>
   973fd:	jmp    97140 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xcc0>
   97402:	data16 cs nopw 0x0(%rax,%rax,1)
   9740d:	nopl   (%rax)
   97410:	mov    %r10,%rdx
   97413:	cmp    $0xe,%r15
   97417:	jbe    977f0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1370>
   9741d:	vbroadcastss 0xa9b3d(%rip),%zmm2        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   97427:	shr    $0x4,%rdx
   9742b:	vbroadcastss %xmm1,%zmm4
   97431:	shl    $0x6,%rdx
   97435:	data16 cs nopw 0x0(%rax,%rax,1)
   97440:	vmovaps %zmm2,%zmm3
   97446:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   9744d:	vmovups %zmm3,(%r14,%rax,1)
   97454:	add    $0x40,%rax
   97458:	cmp    %rdx,%rax
   9745b:	jne    97440 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xfc0>
   9745d:	jmp    97140 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xcc0>
   97462:	data16 cs nopw 0x0(%rax,%rax,1)
   9746d:	nopl   (%rax)
   97470:	mov    %r10,%rdx
   97473:	cmp    $0xe,%r15
   97477:	jbe    977f0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1370>
   9747d:	vbroadcastss 0xa9add(%rip),%zmm2        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   97487:	shr    $0x4,%rdx
   9748b:	vbroadcastss %xmm1,%zmm4
   97491:	shl    $0x6,%rdx
   97495:	data16 cs nopw 0x0(%rax,%rax,1)
   974a0:	vmovaps %zmm2,%zmm3
   974a6:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   974ad:	vmovups %zmm3,(%r14,%rax,1)
   974b4:	add    $0x40,%rax
   974b8:	cmp    %rdx,%rax
   974bb:	jne    974a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1020>
   974bd:	jmp    97140 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xcc0>
   974c2:	data16 cs nopw 0x0(%rax,%rax,1)
   974cd:	nopl   (%rax)
   974d0:	cmp    $0xe,%rcx
   974d4:	jbe    977f9 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1379>
   974da:	vbroadcastss 0xa9a80(%rip),%zmm2        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   974e4:	shr    $0x4,%rdx
   974e8:	vbroadcastss %xmm1,%zmm3
   974ee:	shl    $0x6,%rdx
   974f2:	data16 cs nopw 0x0(%rax,%rax,1)
   974fd:	nopl   (%rax)
   97500:	vmovaps %zmm2,%zmm0
   97506:	vfnmadd132ps (%rbx,%rax,1),%zmm3,%zmm0
   9750d:	vmovups %zmm0,(%r14,%rax,1)
   97514:	add    $0x40,%rax
   97518:	cmp    %rdx,%rax
   9751b:	jne    97500 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1080>
   9751d:	mov    %r13,%rax
   97520:	and    $0xfffffffffffffff0,%rax
   97524:	mov    %rax,%rcx
   97527:	cmp    %r13,%rax
   9752a:	je     973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   97530:	mov    %r13,%rdx
   97533:	sub    %rax,%rdx
   97536:	lea    -0x1(%rdx),%rsi
   9753a:	cmp    $0x6,%rsi
   9753e:	jbe    9756d <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x10ed>
   97540:	vmovups (%rbx,%rcx,4),%ymm7
   97545:	vbroadcastss %xmm1,%ymm0
   9754a:	vfnmadd231ps 0xa9a10(%rip){1to8},%ymm7,%ymm0        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   97554:	vmovups %ymm0,(%r14,%rcx,4)
   9755a:	mov    %rdx,%rcx
   9755d:	and    $0xfffffffffffffff8,%rcx
   97561:	add    %rcx,%rax
   97564:	and    $0x7,%edx
   97567:	je     973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   9756d:	vmovss 0xa99ef(%rip),%xmm0        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   97575:	lea    0x0(,%rax,4),%rdx
   9757d:	lea    0x1(%rax),%rcx
   97581:	vmovaps %xmm0,%xmm2
   97585:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   9758b:	vmovss %xmm2,(%r14,%rdx,1)
   97591:	cmp    %rcx,%r13
   97594:	jle    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   9759a:	vmovaps %xmm0,%xmm2
   9759e:	vfnmadd132ss 0x4(%rbx,%rdx,1),%xmm1,%xmm2
   975a5:	lea    0x2(%rax),%rcx
   975a9:	vmovss %xmm2,0x4(%r14,%rdx,1)
   975b0:	cmp    %rcx,%r13
   975b3:	jle    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   975b9:	vmovaps %xmm0,%xmm2
   975bd:	vfnmadd132ss 0x8(%rbx,%rdx,1),%xmm1,%xmm2
   975c4:	lea    0x3(%rax),%rcx
   975c8:	vmovss %xmm2,0x8(%r14,%rdx,1)
   975cf:	cmp    %rcx,%r13
   975d2:	jle    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   975d8:	vmovaps %xmm0,%xmm2
   975dc:	vfnmadd132ss 0xc(%rbx,%rdx,1),%xmm1,%xmm2
   975e3:	lea    0x4(%rax),%rcx
   975e7:	vmovss %xmm2,0xc(%r14,%rdx,1)
   975ee:	cmp    %rcx,%r13
   975f1:	jle    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   975f7:	vmovaps %xmm0,%xmm2
   975fb:	vfnmadd132ss 0x10(%rbx,%rdx,1),%xmm1,%xmm2
   97602:	lea    0x5(%rax),%rcx
   97606:	vmovss %xmm2,0x10(%r14,%rdx,1)
   9760d:	cmp    %rcx,%r13
   97610:	jle    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   97616:	vmovaps %xmm0,%xmm2
   9761a:	vfnmadd132ss 0x14(%rbx,%rdx,1),%xmm1,%xmm2
   97621:	add    $0x6,%rax
   97625:	vmovss %xmm2,0x14(%r14,%rdx,1)
   9762c:	cmp    %rax,%r13
   9762f:	jg     9724c <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xdcc>
   97635:	jmp    973a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf20>
   9763a:	nopw   0x0(%rax,%rax,1)
   97640:	mov    %r10,%rdx
   97643:	cmp    $0xe,%r15
   97647:	jbe    977f0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1370>
   9764d:	vbroadcastss 0xa990d(%rip),%zmm2        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   97657:	shr    $0x4,%rdx
   9765b:	vbroadcastss %xmm1,%zmm4
   97661:	shl    $0x6,%rdx
   97665:	data16 cs nopw 0x0(%rax,%rax,1)
   97670:	vmovaps %zmm2,%zmm3
   97676:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   9767d:	vmovups %zmm3,(%r14,%rax,1)
   97684:	add    $0x40,%rax
   97688:	cmp    %rdx,%rax
   9768b:	jne    97670 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x11f0>
   9768d:	jmp    97140 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xcc0>
   97692:	data16 cs nopw 0x0(%rax,%rax,1)
   9769d:	nopl   (%rax)
   976a0:	mov    %r10,%rdx
   976a3:	cmp    $0xe,%r15
   976a7:	jbe    977f0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1370>
   976ad:	vbroadcastss 0xa98ad(%rip),%zmm2        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   976b7:	shr    $0x4,%rdx
   976bb:	vbroadcastss %xmm1,%zmm4
   976c1:	shl    $0x6,%rdx
   976c5:	data16 cs nopw 0x0(%rax,%rax,1)
   976d0:	vmovaps %zmm2,%zmm3
   976d6:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   976dd:	vmovups %zmm3,(%r14,%rax,1)
   976e4:	add    $0x40,%rax
   976e8:	cmp    %rdx,%rax
   976eb:	jne    976d0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1250>
   976ed:	jmp    97140 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xcc0>
   976f2:	data16 cs nopw 0x0(%rax,%rax,1)
   976fd:	nopl   (%rax)
   97700:	mov    %r10,%rdx
   97703:	cmp    $0xe,%r15
   97707:	jbe    977f0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1370>
   9770d:	vbroadcastss 0xa984d(%rip),%zmm2        # 140f64 <(anonymous namespace)::kBlock+0xce4>
   97717:	shr    $0x4,%rdx
   9771b:	vbroadcastss %xmm1,%zmm4
   97721:	shl    $0x6,%rdx
   97725:	data16 cs nopw 0x0(%rax,%rax,1)
   97730:	vmovaps %zmm2,%zmm3
   97736:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   9773d:	vmovups %zmm3,(%r14,%rax,1)
   97744:	add    $0x40,%rax
   97748:	cmp    %rdx,%rax
   9774b:	jne    97730 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x12b0>
   9774d:	jmp    97140 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xcc0>
   97752:	data16 cs nopw 0x0(%rax,%rax,1)
   9775d:	nopl   (%rax)
   97760:	xor    %eax,%eax
   97762:	jmp    970d0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xc50>
   97767:	nopw   0x0(%rax,%rax,1)
   97770:	xor    %eax,%eax
   97772:	jmp    96920 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x4a0>
   97777:	nopw   0x0(%rax,%rax,1)
   97780:	xor    %eax,%eax
   97782:	jmp    96640 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1c0>
   97787:	nopw   0x0(%rax,%rax,1)
   97790:	xor    %eax,%eax
   97792:	jmp    967b0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x330>
   97797:	nopw   0x0(%rax,%rax,1)
   977a0:	xor    %eax,%eax
   977a2:	jmp    96b10 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x690>
   977a7:	nopw   0x0(%rax,%rax,1)
   977b0:	xor    %eax,%eax
   977b2:	jmp    96df0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x970>
   977b7:	nopw   0x0(%rax,%rax,1)
   977c0:	xor    %eax,%eax
   977c2:	jmp    96f60 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xae0>
   977c7:	nopw   0x0(%rax,%rax,1)
   977d0:	xor    %eax,%eax
   977d2:	jmp    9698d <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x50d>
   977d7:	nopw   0x0(%rax,%rax,1)
   977e0:	xor    %eax,%eax
   977e2:	jmp    96c80 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x800>
   977e7:	nopw   0x0(%rax,%rax,1)
   977f0:	xor    %ecx,%ecx
   977f2:	xor    %eax,%eax
   977f4:	jmp    97163 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xce3>
   977f9:	xor    %eax,%eax
   977fb:	xor    %ecx,%ecx
   977fd:	jmp    97540 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x10c0>
   97802:	xor    %ecx,%ecx
   97804:	xor    %eax,%eax
   97806:	jmp    972e0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xe60>
   9780b:	nopl   0x0(%rax,%rax,1)

